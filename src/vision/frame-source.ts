/**
 * Camera frames from Debian's ffmpeg (a video file, an rtsp:// stream or a V4L2 device), as JPEG Buffers in
 * memory: ffmpeg writes an MJPEG stream to a pipe; frames are cut at the JPEG end-of-image marker (0xFFD9 is
 * byte-stuffed inside entropy-coded data, so it only appears at the end of a frame). Nothing touches the disk.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { AppError } from '../errors.ts';

export interface FrameSourceOptions {
  source: string;
  /** Frames per second taken from the stream. */
  fps: number;
  /** Frames are scaled down to at most this width (kiosk-sized frames analyse fastest). */
  width: number;
  ffmpeg?: string;
}

export function ffmpegPath(): string {
  return process.env.FFMPEG_PATH ?? 'ffmpeg';
}

export function ffmpegArgs(o: FrameSourceOptions): string[] {
  const input: string[] = [];
  if (/^rtsps?:\/\//i.test(o.source)) input.push('-rtsp_transport', 'tcp');
  else if (o.source.startsWith('/dev/video')) input.push('-f', 'v4l2');
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...input, '-i', o.source,
    '-an', '-vf', `fps=${o.fps},scale='min(${o.width},iw)':-2`,
    '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '5', 'pipe:1',
  ];
}

/**
 * Reads frames; `onFrame` is awaited before the next one is handed over, and frames that arrive meanwhile are
 * dropped except the newest (a live camera must not build a backlog). For a file, pass `dropWhenBusy: false`
 * to analyse every sampled frame. Resolves when ffmpeg ends; rejects when it fails.
 */
export function readFrames(
  o: FrameSourceOptions & { dropWhenBusy: boolean },
  onFrame: (jpeg: Buffer, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<{ frames: number; analysed: number; dropped: number }> {
  const bin = o.ffmpeg ?? ffmpegPath();
  if (spawnSync(bin, ['-version'], { stdio: 'ignore' }).error) throw new AppError('invalid', `ffmpeg not found (${bin}): install it (apt-get install ffmpeg) or set FFMPEG_PATH`, 'source');
  const child: ChildProcess = spawn(bin, ffmpegArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
  signal?.addEventListener('abort', () => child.kill('SIGTERM'), { once: true });
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
  let buf: Buffer = Buffer.alloc(0);
  let frames = 0, analysed = 0, dropped = 0;
  let latest: { jpeg: Buffer; index: number } | null = null;
  const queue: { jpeg: Buffer; index: number }[] = [];
  let working = false;
  let finish: (() => void) | null = null;
  let failed: unknown = null;

  const pump = async () => {
    if (working) return;
    working = true;
    try {
      for (;;) {
        const next = o.dropWhenBusy ? latest : queue.shift();
        if (o.dropWhenBusy) latest = null;
        if (!next) break;
        await onFrame(next.jpeg, next.index);
        analysed++;
        if (!o.dropWhenBusy && queue.length <= 2) child.stdout!.resume();
      }
    } catch (e) {
      failed = e;
      child.kill('SIGTERM');
    } finally {
      working = false;
      finish?.();
    }
  };

  child.stdout!.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let start = buf.indexOf(Buffer.from([0xff, 0xd8]));
    while (start >= 0) {
      const end = buf.indexOf(Buffer.from([0xff, 0xd9]), start + 2);
      if (end < 0) break;
      const jpeg = Buffer.from(buf.subarray(start, end + 2));
      const item = { jpeg, index: frames++ };
      if (o.dropWhenBusy) {
        if (latest) dropped++; // a newer frame replaces the one still waiting
        latest = item;
      } else queue.push(item);
      buf = buf.subarray(end + 2);
      start = buf.indexOf(Buffer.from([0xff, 0xd8]));
    }
    if (!o.dropWhenBusy && queue.length > 8) child.stdout!.pause(); // a file: let ffmpeg wait for us
    void pump();
  });

  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new AppError('invalid', `ffmpeg could not start: ${e.message}`, 'source')));
    child.on('close', async (code, sig) => {
      // Let the last frames through.
      while (working || (o.dropWhenBusy ? latest : queue.length)) {
        await new Promise<void>((r) => {
          finish = r;
          void pump();
        });
        finish = null;
      }
      if (failed) return reject(failed);
      if (code !== 0 && !signal?.aborted && sig !== 'SIGTERM') {
        return reject(new AppError('invalid', `ffmpeg could not read ${o.source}: ${err.trim().split('\n').slice(-2).join(' ') || `exit ${code}`}`, 'source'));
      }
      resolve({ frames, analysed, dropped });
    });
  });
}
