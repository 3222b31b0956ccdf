// Entry of the training worker thread: makes sure TypeScript loads in the worker (tsx is already there when
// the parent ran with `--import tsx`; `bin/shelfwise.js` registers it in the main thread only), then runs it.
import { register } from 'tsx/esm/api';
register();
await import('./recommend-train.worker.ts');
