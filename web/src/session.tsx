import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, onUnauthorized, roleRank, type Me, type Role } from './api.ts';

interface Session {
  me: Me | null;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  can(role: Role): boolean;
}
const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    // /api/dashboard/session answers 200 with user null when signed out: no 401 in the console on first load.
    api<{ user: Me | null }>('/api/dashboard/session')
      .then((r) => setMe(r.user))
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
    return onUnauthorized(() => setMe(null));
  }, []);
  const login = useCallback(async (email: string, password: string) => {
    const r = await api<{ user: { id: number; email: string; role: Role } }>('/api/auth/login', { method: 'POST', body: { email, password } });
    setMe({ id: r.user.id, email: r.user.email, role: r.user.role });
  }, []);
  const logout = useCallback(async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    setMe(null);
  }, []);
  const can = useCallback((role: Role) => !!me && roleRank[me.role] >= roleRank[role], [me]);
  return <Ctx.Provider value={{ me, loading, login, logout, can }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
