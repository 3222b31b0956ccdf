import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/**
 * Live updates over server-sent events: /api/dashboard/events sends a `version` (a fingerprint of the ledger and
 * alerts) whenever it changes — a sale, receipt or alert made anywhere (API, CLI, another tab or server process).
 * `useLive()` then changes and pages that read it re-fetch. The server reads the version once a second for all
 * listeners. When the stream is refused (signed out) it is retried every few seconds.
 */
const RETRY_MS = 3000;
const Ctx = createContext(0);

export function LiveProvider({ children }: { children: ReactNode }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let last: string | null = null;
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    function connect() {
      es = new EventSource('/api/dashboard/events');
      es.addEventListener('version', (e) => {
        const v = (e as MessageEvent<string>).data;
        // The first version also counts: a change made between a page's first fetch and this stream connecting
        // would otherwise never show (one extra fetch of the live pages on load).
        if (v !== last) setTick((t) => t + 1);
        last = v;
      });
      es.onerror = () => {
        // A network blip reconnects by itself; a refused stream (401 before sign-in) is closed: try again later.
        if (es?.readyState === EventSource.CLOSED && !stopped) retry = setTimeout(connect, RETRY_MS);
      };
    }
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      es?.close();
    };
  }, []);
  return <Ctx.Provider value={tick}>{children}</Ctx.Provider>;
}

/** Changes whenever the store's data changed on the server. */
export function useLive() {
  return useContext(Ctx);
}
