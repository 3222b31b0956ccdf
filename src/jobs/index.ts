/** Importing this registers every job handler of the app (the server and `shelfwise worker` both import it). */
import './handlers.ts';
export { enqueue } from '../services/jobs.service.ts';
export { registerJobHandler, startWorker, PermanentJobError, type JobContext, type JobHandler, type Worker } from './worker.ts';
