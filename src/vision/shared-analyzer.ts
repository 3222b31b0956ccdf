/**
 * One FaceAnalyzer per process, shared by every kiosk socket and the CLI watcher, with admission control:
 * inference is single-threaded (tfjs WASM), so frames are analysed one at a time and a frame that would
 * have to wait behind `maxQueued` others is refused at once (the caller drops it; the kiosk sends a newer
 * one). Frames are never buffered beyond that bound, so memory and latency stay flat under load.
 */
import { FaceAnalyzer, type FaceResult } from './face-analyzer.ts';

let shared: Promise<FaceAnalyzer> | null = null;

/** The process-wide analyzer (models load and kernels warm up once, ~1-2 s; concurrent callers share the promise). */
export function sharedFaceAnalyzer(): Promise<FaceAnalyzer> {
  if (!shared) {
    shared = FaceAnalyzer.create().then(async (a) => {
      await a.warmUp();
      return a;
    });
    shared.catch(() => (shared = null));
  }
  return shared;
}

export class InferenceGate {
  private running = 0;
  private chain: Promise<unknown> = Promise.resolve();
  /** Frames refused because too many were waiting. */
  dropped = 0;

  constructor(private readonly maxQueued = 2) {}

  /**
   * Background work (the demo's visitor faces): runs after the frames already waiting, one call at a time,
   * never dropped and not counted against the kiosks' admission, so a kiosk frame waits behind at most one.
   */
  serial<T>(fn: (analyzer: FaceAnalyzer) => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => fn(await sharedFaceAnalyzer()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** In flight + waiting. */
  get depth(): number {
    return this.running;
  }

  /** Analyse now or after the frames ahead; null (dropped) when `maxQueued` are already waiting. */
  async analyze(bytes: Uint8Array, opts: { headScore?: number } = {}): Promise<FaceResult[] | null> {
    if (this.running > this.maxQueued) {
      this.dropped++;
      return null;
    }
    this.running++;
    const run = this.chain.then(async () => (await sharedFaceAnalyzer()).analyze(bytes, opts));
    this.chain = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      this.running--;
    }
  }
}

/** The process-wide gate (every kiosk shares the one CPU core tfjs uses). */
export const inferenceGate = new InferenceGate(Number(process.env.VISION_MAX_QUEUED ?? 2));
