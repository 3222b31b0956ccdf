import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api.ts';

/**
 * Live updates by polling /api/dashboard/version (a fingerprint of the ledger and alerts) every second while the
 * tab is visible: when a sale, receipt or alert happens anywhere (API, CLI, another tab), `useLive()` changes and
 * pages that read it re-fetch. A push channel (SSE) can replace the polling behind the same hook.
 */
const POLL_MS = 1000;
const Ctx = createContext(0);

export function LiveProvider({ children }: { children: ReactNode }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let last: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    async function poll() {
      if (document.visibilityState === 'visible') {
        try {
          const { version } = await api<{ version: string }>('/api/dashboard/version');
          if (last !== null && version !== last) setTick((t) => t + 1);
          last = version;
        } catch {
          /* offline or signed out: try again later */
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    void poll();
    const wake = () => {
      if (document.visibilityState === 'visible') {
        clearTimeout(timer);
        void poll();
      }
    };
    document.addEventListener('visibilitychange', wake);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
    };
  }, []);
  return <Ctx.Provider value={tick}>{children}</Ctx.Provider>;
}

/** Changes whenever the store's data changed on the server. */
export function useLive() {
  return useContext(Ctx);
}
