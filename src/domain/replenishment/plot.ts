/**
 * Fill rate against average stock for a sweep of service levels, as a self-contained SVG string
 * (what `replenish simulate --plot FILE` writes; the caller does the file I/O).
 */

export interface SweepLine {
  name: string;
  points: { fill: number; stock: number }[];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(lo: number, hi: number, n: number): number[] {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function fillStockSvg(lines: SweepLine[], opts: { title?: string; width?: number; height?: number } = {}): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 440;
  const m = { l: 70, r: 20, t: 40, b: 50 };
  const pts = lines.flatMap((l) => l.points);
  const xs = pts.map((p) => p.stock);
  const ys = pts.map((p) => p.fill * 100);
  const x0 = Math.min(0, ...xs);
  const x1 = Math.max(1, ...xs) * 1.05;
  const y0 = Math.floor(Math.min(...ys, 100) - 1);
  const y1 = Math.min(100, Math.ceil(Math.max(...ys, 0) + 1));
  const X = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - ((v - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  if (opts.title) parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(opts.title)}</text>`);
  for (const t of niceTicks(x0, x1, 6)) {
    parts.push(`<line x1="${X(t)}" y1="${m.t}" x2="${X(t)}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${X(t)}" y="${H - m.b + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(y0, y1, 6)) {
    parts.push(`<line x1="${m.l}" y1="${Y(t)}" x2="${W - m.r}" y2="${Y(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${Y(t) + 4}" text-anchor="end">${t} %</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">average units on hand per item</text>`);
  parts.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">fill rate</text>`);
  lines.forEach((l, i) => {
    const c = COLOURS[i % COLOURS.length];
    const sorted = [...l.points].sort((a, b) => a.stock - b.stock);
    const d = sorted.map((p, j) => `${j ? 'L' : 'M'}${X(p.stock).toFixed(1)},${Y(p.fill * 100).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>`);
    for (const p of sorted) parts.push(`<circle cx="${X(p.stock).toFixed(1)}" cy="${Y(p.fill * 100).toFixed(1)}" r="3.5" fill="${c}"/>`);
    parts.push(`<rect x="${m.l + 12}" y="${m.t + 10 + i * 18}" width="12" height="12" fill="${c}"/>`);
    parts.push(`<text x="${m.l + 30}" y="${m.t + 20 + i * 18}">${esc(l.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
