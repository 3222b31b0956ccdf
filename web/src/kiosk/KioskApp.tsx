import { useEffect, useRef, useState } from 'react';
import { fmtMoney } from '../format.ts';
import type { KioskConfig, KioskItem, KioskMessage, KioskPerson } from '../api.ts';

/**
 * The in-store kiosk at /kiosk: full screen, no dashboard chrome. Open it once as
 * /kiosk?token=<kiosk API token>&location=<store code>[&zone=<zone>] (kept in this browser afterwards).
 * The camera is asked for with the browser's own prompt; a few downscaled JPEG frames per second go over a
 * WebSocket to the store's server, which answers each with an estimate and in-stock suggestions. Frames are
 * never stored (privacy notice on screen).
 */
const FRAME_W = 480;
const FRAME_H = 360;
const FRAME_INTERVAL_MS = 250; // at most 4 frames/s
const ANSWER_TIMEOUT_MS = 1500; // send again if an answer is lost
const GENDER_LABEL: Record<string, string> = { female: 'Woman', male: 'Man' };
const GROUP_LABEL: Record<string, string> = { child: 'Child', teen: 'Teen', '20-29': '20-29', '30-44': '30-44', '45-59': '45-59', '60+': '60+' };

function settings() {
  const q = new URLSearchParams(location.search);
  for (const k of ['token', 'location', 'zone']) {
    const v = q.get(k);
    if (v) localStorage.setItem(`kiosk.${k}`, v);
  }
  if (q.get('token')) history.replaceState(null, '', location.pathname); // keep the token out of the address bar
  return { token: localStorage.getItem('kiosk.token'), location: localStorage.getItem('kiosk.location'), zone: localStorage.getItem('kiosk.zone') };
}

export default function KioskApp() {
  const [cfg, setCfg] = useState<KioskConfig | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [camera, setCamera] = useState<'asking' | 'on' | 'denied'>('asking');
  const [person, setPerson] = useState<KioskPerson | null>(null);
  const [items, setItems] = useState<KioskItem[]>([]);
  const [mode, setMode] = useState<'attract' | 'person'>('attract');
  const [spot, setSpot] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const s = useRef<ReturnType<typeof settings>>(null as never);
  if (!s.current) s.current = settings(); // once: reads ?token/location/zone and clears the address bar

  useEffect(() => {
    const { token, location: loc } = s.current;
    fetch(`/api/kiosk/config${loc ? `?location=${encodeURIComponent(loc)}` : ''}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' })
      .then(async (r) => {
        if (r.status === 401) throw new Error('This screen is not signed in: open /kiosk?token=<kiosk token>&location=<store> once.');
        const b = await r.json();
        if (!r.ok) throw new Error(b.error ?? `HTTP ${r.status}`);
        setCfg(b);
        if (!b.enabled) setProblem(b.reason ?? 'Camera features are switched off for this store.');
      })
      .catch((e: Error) => setProblem(e.message));
  }, []);

  // Camera + socket + frame loop, once the store allows it.
  useEffect(() => {
    if (!cfg?.enabled) return;
    let stopped = false;
    let ws: WebSocket | null = null;
    let stream: MediaStream | null = null;
    let seq = 0;
    let waiting: { seq: number; at: number } | null = null;
    let timer: number | undefined;
    let retry: number | undefined;
    const canvas = document.createElement('canvas');
    canvas.width = FRAME_W;
    canvas.height = FRAME_H;
    const ctx = canvas.getContext('2d');

    const sendFrame = () => {
      const v = video.current;
      if (stopped || !ws || ws.readyState !== WebSocket.OPEN || !v || v.readyState < 2 || !ctx) return;
      if (waiting && performance.now() - waiting.at < ANSWER_TIMEOUT_MS) return; // one frame in flight at a time
      ctx.drawImage(v, 0, 0, FRAME_W, FRAME_H);
      const n = ++seq;
      waiting = { seq: n, at: performance.now() };
      canvas.toBlob(async (blob) => {
        if (!blob || !ws || ws.readyState !== WebSocket.OPEN) return;
        const head = new DataView(new ArrayBuffer(4));
        head.setUint32(0, n);
        ws.send(new Blob([head.buffer, blob]));
      }, 'image/jpeg', 0.7);
    };

    const connect = () => {
      const q = new URLSearchParams();
      if (s.current.token) q.set('token', s.current.token);
      q.set('location', cfg.location ?? '');
      if (s.current.zone) q.set('zone', s.current.zone);
      ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${cfg.socket}?${q}`);
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (ev) => {
        const m = JSON.parse(String(ev.data)) as KioskMessage;
        if ('seq' in m && waiting?.seq === m.seq) waiting = null;
        if (m.type === 'hello' || m.type === 'estimate') {
          if (m.items) setItems(m.items);
          setMode(m.mode);
          setPerson(m.type === 'estimate' ? m.person : null);
        }
      };
      ws.onclose = (ev) => {
        if (stopped) return;
        if (ev.code === 4401 || ev.code === 4403 || ev.code === 4404) return setProblem(ev.reason || 'The server refused this screen.');
        retry = window.setTimeout(connect, 2000);
      };
    };

    navigator.mediaDevices
      ?.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' }, audio: false })
      .then((st) => {
        if (stopped) return st.getTracks().forEach((t) => t.stop());
        stream = st;
        if (video.current) {
          video.current.srcObject = st;
          void video.current.play().catch(() => undefined);
        }
        setCamera('on');
        connect();
        timer = window.setInterval(sendFrame, FRAME_INTERVAL_MS);
      })
      .catch(() => setCamera('denied'));
    if (!navigator.mediaDevices) setCamera('denied');
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.clearTimeout(retry);
      ws?.close();
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [cfg]);

  // Attract loop: spotlight one popular item after another while nobody is in front of the screen.
  useEffect(() => {
    if (mode !== 'attract' || items.length === 0) return;
    const t = window.setInterval(() => setSpot((i) => (i + 1) % items.length), 3000);
    return () => window.clearInterval(t);
  }, [mode, items.length]);

  const currency = cfg?.currency ?? 'GBP';
  return (
    <main className="kiosk">
      <header className="kiosk-head">
        <div className="kiosk-store">{cfg?.storeName ?? 'Shelfwise'}</div>
        <video ref={video} className="kiosk-preview" muted playsInline aria-label="Camera preview (not recorded)" />
      </header>
      {problem ? (
        <section className="kiosk-problem" role="alert">{problem}</section>
      ) : camera === 'denied' ? (
        <section className="kiosk-problem" role="alert">The camera is not available. Allow camera access for this page to get suggestions.</section>
      ) : (
        <>
          <section className="kiosk-estimate" data-testid="kiosk-estimate" aria-live="polite">
            {mode === 'person' && person ? (
              <>
                <div className="kiosk-who">
                  <span data-testid="kiosk-gender">{GENDER_LABEL[person.gender]}</span> · <span data-testid="kiosk-age">{GROUP_LABEL[person.ageGroup]}</span>
                </div>
                <div className="kiosk-conf">
                  <span>Confidence {Math.round(person.confidence * 100)} %</span>
                  <span className="kiosk-bar" aria-hidden="true"><span style={{ width: `${Math.round(person.confidence * 100)}%` }} /></span>
                </div>
                <div className="kiosk-sub">Picked for you, in stock in this store</div>
              </>
            ) : (
              <>
                <div className="kiosk-who">Popular right now</div>
                <div className="kiosk-sub">{camera === 'asking' ? 'Allow the camera to get suggestions for you' : 'Step in front of the screen for suggestions'}</div>
              </>
            )}
          </section>
          <ul className="kiosk-cards" data-mode={mode}>
            {items.map((it, i) => (
              <li key={it.productId} className={`kiosk-card${mode === 'attract' && i === spot ? ' kiosk-spot' : ''}`} data-sku={it.sku}>
                <div className="kiosk-swatch" style={{ background: swatch(it.colour) }} aria-hidden="true" />
                <div className="kiosk-name">{it.name}</div>
                <div className="kiosk-meta">{[it.colour, it.size].filter(Boolean).join(' · ')}</div>
                <div className="kiosk-price">{fmtMoney(it.price, currency)}</div>
                <div className="kiosk-where">{it.where}</div>
              </li>
            ))}
          </ul>
        </>
      )}
      <footer className="kiosk-privacy">
        <strong>Privacy:</strong> this screen uses its camera to estimate an age group and gender, only to suggest clothes. Pictures are analysed in
        memory on the store's server and deleted at once: no image is stored or shared, and no one is recognised. The store keeps only
        anonymous counts (time, age group, gender, how long someone looked) for a limited time.
      </footer>
    </main>
  );
}

const SWATCH: Record<string, string> = {
  black: '#222', white: '#f4f4f4', grey: '#9aa0a6', navy: '#1f2f5c', blue: '#2f6fdb', red: '#c8323c', green: '#2f8f4e', olive: '#6b7a3a',
  brown: '#7a5230', beige: '#d9c6a5', pink: '#e79ab5', purple: '#7c4bb0', yellow: '#e8c43a', orange: '#e5822f', maroon: '#6d1f2a', cream: '#f1e6cf',
};
function swatch(colour: string | null): string {
  return (colour && SWATCH[colour.toLowerCase().split(/\s+/).pop() ?? '']) || '#d0d5de';
}
