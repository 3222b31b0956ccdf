/**
 * One tfjs runtime for the process: face-api's node-wasm bundle with the tfjs WASM backend.
 *
 * - Weights and .wasm binaries are read from node_modules (they ship in the npm tarballs): nothing is
 *   downloaded at run time.
 * - `setWasmPaths(dir + '/')` is called with one argument only: with a second argument tfjs tries to
 *   fetch() a local path, which fails in Node (see FINDINGS.md).
 * - tf is taken from the face-api bundle itself (it re-exports the exact @tensorflow/tfjs and
 *   tfjs-backend-wasm instances it was built against), so there is only one tfjs-core in the process.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js');
// The bundle also re-exports @tensorflow/tfjs-backend-wasm (setWasmPaths, setThreadsCount, ...).
export type Tf = typeof import('@tensorflow/tfjs') & {
  setWasmPaths(prefix: string): void;
  setThreadsCount?(n: number): void;
  getThreadsCount?(): number;
};

let faceapiModule: FaceApi | null = null;
let ready: Promise<{ faceapi: FaceApi; tf: Tf; backend: string }> | null = null;

/** Folder holding face-api's bundled weights (model/*.bin + manifests). */
export function faceApiModelDir(): string {
  const pkg = require.resolve('@vladmandic/face-api/package.json');
  return join(dirname(pkg), 'model');
}

function wasmDir(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist');
}

/**
 * Initialise the WASM backend once (idempotent; concurrent callers share one promise).
 * `threads`: WASM threads in Node need worker support that tfjs does not use here, so the backend
 * runs on one core with SIMD; the setting is kept for when it does.
 */
export function initTf(): Promise<{ faceapi: FaceApi; tf: Tf; backend: string }> {
  if (ready) return ready;
  ready = (async () => {
    if (!faceapiModule) faceapiModule = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
    const faceapi = faceapiModule;
    const tf = faceapi.tf as unknown as Tf;
    tf.setWasmPaths(wasmDir() + '/');
    await tf.setBackend('wasm');
    await tf.ready();
    // Production mode: skip the debug checks; keep numerics identical.
    tf.enableProdMode();
    return { faceapi, tf, backend: tf.getBackend() };
  })();
  return ready;
}
