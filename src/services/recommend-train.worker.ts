/** Worker thread: trains a recommendation bundle off the server's event loop (see recommend-train.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { trainBundle, type TrainInput } from '../domain/recommend/bundle.ts';

const port = parentPort!;
try {
  let last = 0;
  const out = trainBundle(
    workerData as TrainInput,
    (stage, fraction) => {
      const now = Date.now();
      if (now - last > 200 || fraction >= 1) {
        last = now;
        port.postMessage({ type: 'progress', stage, fraction });
      }
    },
    () => performance.now() / 1000,
  );
  port.postMessage({ type: 'done', bytes: out.bytes, metrics: out.metrics }, [out.bytes.buffer as ArrayBuffer]);
} catch (e) {
  port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), kind: (e as { kind?: string }).kind });
}
