import { lazy, Suspense } from 'react';
import { Layout } from './components/Layout.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { LiveProvider } from './live.tsx';
import LoginPage from './pages/LoginPage.tsx';
import { matchPath, useLocation } from './router.tsx';
import { routes } from './routes.ts';
import { SessionProvider, useSession } from './session.tsx';

// Standalone apps with their own look and session: the shop (customers) and the kiosk (an in-store screen).
const ShopApp = lazy(() => import('./shop/ShopApp.tsx'));
const KioskApp = lazy(() => import('./kiosk/KioskApp.tsx'));

function Standalone({ path }: { path: string }) {
  const App = path === '/kiosk' || path.startsWith('/kiosk/') ? KioskApp : ShopApp;
  return (
    <ErrorBoundary>
      <Suspense fallback={<div className="splash" aria-busy="true">Loading…</div>}>
        <App />
      </Suspense>
    </ErrorBoundary>
  );
}

function isStandalone(path: string) {
  return path === '/shop' || path.startsWith('/shop/') || path === '/kiosk' || path.startsWith('/kiosk/');
}

function Routed() {
  const { me, loading, can } = useSession();
  const { path } = useLocation();
  if (loading) return <div className="splash" aria-busy="true">Loading…</div>;
  if (!me) return <LoginPage />;
  let found: { route: (typeof routes)[number]; params: Record<string, string> } | null = null;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) {
      found = { route, params };
      break;
    }
  }
  let content;
  if (!found) content = <div className="card"><h1>Not found</h1><p>There is no page at {path}.</p></div>;
  else if (!can(found.route.role)) content = <div className="card"><h1>Not allowed</h1><p>This page needs the {found.route.role} role; you are {me.role}.</p></div>;
  else {
    const Page = found.route.page;
    content = <Page params={found.params} />;
  }
  return (
    <LiveProvider>
      <Layout>
        <ErrorBoundary key={path}>
          <Suspense fallback={<p className="muted" aria-busy="true">Loading…</p>}>{content}</Suspense>
        </ErrorBoundary>
      </Layout>
    </LiveProvider>
  );
}

export function App() {
  const { path } = useLocation();
  if (isStandalone(path)) return <Standalone path={path} />;
  return (
    <SessionProvider>
      <Routed />
    </SessionProvider>
  );
}
