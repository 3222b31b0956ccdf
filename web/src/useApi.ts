import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api.ts';
import { useLive } from './live.tsx';

/** GETs a path (null = wait); re-fetches when the path changes or, with live, when the server's data changes. */
export function useApi<T>(path: string | null, opts: { live?: boolean } = {}) {
  const live = useLive();
  const liveKey = opts.live ? live : 0;
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: path !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: ac.signal })
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        setState((s) => ({ data: s.data, error: e instanceof ApiError ? e : new ApiError(0, String((e as Error)?.message ?? e)), loading: false }));
      });
    return () => ac.abort();
  }, [path, tick, liveKey]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
