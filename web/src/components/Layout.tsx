import type { ReactNode } from 'react';
import { Link, matchPath, useLocation } from '../router.tsx';
import { NAV_GROUPS, routes } from '../routes.ts';
import { useSession } from '../session.tsx';

export function Layout({ children }: { children: ReactNode }) {
  const { me, can, logout } = useSession();
  const { path } = useLocation();
  const nav = routes.filter((r) => r.nav && can(r.role));
  const active = (p: string) => (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`) || !!matchPath(p, path));
  return (
    <div className="app">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to="/" className="brand">Shelfwise</Link>
        <span className="spacer" />
        <span className="who" title={me?.email}>
          {me?.email} <span className="role">{me?.role}</span>
        </span>
        <button type="button" className="ghost" onClick={() => void logout()}>Log out</button>
      </header>
      <nav className="side" aria-label="Main">
        {NAV_GROUPS.map((g) => {
          const items = nav.filter((r) => (r.group ?? 'Store') === g);
          if (items.length === 0) return null;
          return (
            <section key={g} aria-label={g}>
              <h2 className="side-group">{g}</h2>
              <ul>
                {items.map((r) => (
                  <li key={r.path}>
                    <Link to={r.path} aria-current={active(r.path) ? 'page' : undefined}>{r.nav}</Link>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </nav>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
