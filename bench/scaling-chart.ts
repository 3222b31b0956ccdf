/**
 * The speed-up curve of bench/multi-store.bench.ts as a small SVG (series/s by worker processes, with the ideal
 * linear line from one worker and the machine's core count marked), for the README.
 */
export function scalingSvg(points: { workers: number; perSec: number }[], opts: { cores: number; title: string }): string {
  const W = 520;
  const H = 300;
  const m = { l: 64, r: 16, t: 36, b: 44 };
  const maxW = Math.max(...points.map((p) => p.workers), opts.cores);
  const base = points[0]?.perSec ?? 1;
  const maxY = Math.max(...points.map((p) => p.perSec), base * Math.min(maxW, opts.cores)) * 1.1;
  const x = (w: number) => m.l + ((w - 0.5) / maxW) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / maxY) * (H - m.t - m.b);
  const step = 10 ** Math.floor(Math.log10(maxY / 5)) * ([1, 2, 5, 10].find((k) => (10 ** Math.floor(Math.log10(maxY / 5)) * k * 5) >= maxY) ?? 10);
  const ticks = Array.from({ length: Math.floor(maxY / step) }, (_, i) => step * (i + 1));
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.workers).toFixed(1)},${y(p.perSec).toFixed(1)}`).join(' ');
  const top = base * Math.min(maxW, opts.cores);
  // Ideal: linear up to the core count, flat beyond it.
  const ideal = `M${x(1)},${y(base)} L${x(Math.min(maxW, opts.cores))},${y(top)} L${x(maxW)},${y(top)}`;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${m.l}" y="20" font-size="14" font-weight="bold">${esc(opts.title)}</text>
${ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/><text x="${m.l - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${Math.round(t).toLocaleString('en')}</text>`).join('\n')}
<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>
${Array.from({ length: maxW }, (_, i) => `<text x="${x(i + 1)}" y="${H - m.b + 16}" text-anchor="middle">${i + 1}</text>`).join('\n')}
<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle" fill="#555">worker processes (${opts.cores} CPU cores on this machine)</text>
<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" fill="#555">series / s</text>
<line x1="${x(opts.cores + 0.5)}" x2="${x(opts.cores + 0.5)}" y1="${m.t}" y2="${H - m.b}" stroke="#999" stroke-dasharray="2 3"/>
<path d="${ideal}" stroke="#9ca3af" stroke-dasharray="6 4" fill="none"/>
<text x="${x(maxW) - 4}" y="${y(top) - 6}" text-anchor="end" fill="#6b7280">ideal (linear to ${opts.cores} cores)</text>
<path d="${line}" stroke="#2563eb" stroke-width="2.5" fill="none"/>
${points.map((p) => `<circle cx="${x(p.workers).toFixed(1)}" cy="${y(p.perSec).toFixed(1)}" r="4" fill="#2563eb"/><text x="${x(p.workers).toFixed(1)}" y="${(y(p.perSec) - 9).toFixed(1)}" text-anchor="middle">${Math.round(p.perSec).toLocaleString('en')} (×${(p.perSec / base).toFixed(2)})</text>`).join('\n')}
</svg>
`;
}
