import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { roleRank } from '../services/auth.service.ts';
import type { AppServices } from '../services/index.ts';
import { KioskSession } from '../services/kiosk-session.ts';
import { visionServiceOf } from '../services/vision.service.ts';
import { inferenceGate, sharedFaceAnalyzer } from '../vision/shared-analyzer.ts';
import { SESSION_COOKIE } from './routes/auth.routes.ts';

export const KIOSK_WS_PATH = '/api/kiosk/ws';
/** A downscaled camera frame is 20-80 kB; anything far larger is not a kiosk frame. */
const MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Skip replies while the socket has this much unsent (a stalled screen must not grow server memory). */
const MAX_BUFFERED = 1024 * 1024;

/** Close codes the kiosk page understands (4000 + the HTTP status of the same error). */
const CLOSE = { unauthorized: 4401, forbidden: 4403, not_found: 4404, invalid: 4400 } as const;

function tokenOf(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (auth) return auth;
  const cookie = req.headers.cookie?.split(';').map((s) => s.trim().split('=')).find(([k]) => k === SESSION_COOKIE);
  return cookie?.[1] ? decodeURIComponent(cookie[1]) : null;
}

/**
 * WebSocket endpoints on the HTTP server: the kiosk's frame stream at /api/kiosk/ws?location=CODE[&zone=Z][&token=…].
 *
 * Protocol (docs/vision.md "Kiosk"): the server sends {type:'hello', items} (attract loop) on connect; the screen
 * sends binary messages = 4-byte big-endian sequence number + one JPEG frame; each frame is answered with
 * {type:'estimate', seq, ms, faces, mode, person, items?} or {type:'dropped', seq} when the server is busy
 * (backpressure: a frame is never queued behind more than a couple of others; the screen sends the next
 * one when it gets an answer). Frames are analysed in memory and dropped: never written or logged.
 */
export function attachSockets(server: Server, services: AppServices): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== KIOSK_WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      kioskConnection(ws, req, url, services).catch((e) => {
        log.error('kiosk socket failed', { error: String((e as Error)?.message ?? e) });
        ws.close(1011, 'server error');
      });
    });
  });
  const close = () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  };
  server.on('close', close);
  return { close };
}

async function kioskConnection(ws: WebSocket, req: IncomingMessage, url: URL, services: AppServices): Promise<void> {
  // Frames that arrive before the session is ready are dropped like busy ones.
  let session: KioskSession | null = null;
  let busy = false;
  let closed = false;
  const send = (msg: unknown) => {
    if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_BUFFERED) ws.send(JSON.stringify(msg));
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary || !session) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    if (buf.length < 8) return send({ type: 'error', error: 'a frame is a 4-byte sequence number followed by a JPEG' });
    const receivedAt = Date.now();
    const seq = buf.readUInt32BE(0);
    if (busy) return send({ type: 'dropped', seq, reason: 'busy' });
    busy = true;
    const s = session;
    (async () => {
      try {
        // the visitor's cached head score: the descriptor net runs once per visitor, not per frame
        const faces = await inferenceGate.analyze(buf.subarray(4), { headScore: s.headScore });
        if (faces === null) return send({ type: 'dropped', seq, reason: 'server busy' });
        if (closed) return;
        send(await s.onFaces(seq, faces, receivedAt));
      } catch (e) {
        if (e instanceof AppError && e.kind === 'forbidden') {
          ws.close(CLOSE.forbidden, e.message.slice(0, 120));
          return;
        }
        // The message of a decode error names the problem, never the pixels.
        send({ type: 'error', seq, error: e instanceof AppError ? e.message : 'could not analyse the frame' });
        if (!(e instanceof AppError)) log.error('kiosk frame failed', { error: String((e as Error)?.message ?? e) });
      } finally {
        busy = false;
      }
    })();
  });
  ws.on('close', () => {
    closed = true;
    session?.close().catch((e) => log.warn('kiosk event not recorded', { error: String((e as Error)?.message ?? e) }));
  });

  const token = tokenOf(req, url);
  const actor = token ? await services.auth.authenticate(token) : null;
  if (!actor) return ws.close(CLOSE.unauthorized, 'sign in or open the kiosk with a kiosk token (?token=…)');
  if (roleRank(actor.role) < roleRank('kiosk')) return ws.close(CLOSE.forbidden, 'this needs the kiosk role');
  let loc: { code: string };
  try {
    loc = await visionServiceOf(services).cameraLocation(url.searchParams.get('location') ?? undefined);
  } catch (e) {
    if (e instanceof AppError) return ws.close(CLOSE[e.kind as keyof typeof CLOSE] ?? CLOSE.invalid, e.message.slice(0, 120));
    throw e;
  }
  const zone = url.searchParams.get('zone')?.slice(0, 40) || null;
  await sharedFaceAnalyzer(); // models load once per process (~1 s), before the first frame is timed
  if (closed) return;
  const s = new KioskSession(services, loc.code, zone);
  const items = await s.hello();
  session = s;
  log.info('kiosk connected', { location: loc.code, zone, actor: actor.label });
  send({ type: 'hello', location: loc.code, zone, mode: 'attract', items, itemsFor: 'attract' });
  s.prefetch().catch((e) => log.warn('kiosk cards prefetch failed', { error: String((e as Error)?.message ?? e) }));
}
