import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { compact } from './Chart.tsx';
import { fmtInt } from '../format.ts';

export const PALETTE = ['#0969da', '#bf3989', '#1a7f37', '#bc4c00', '#8250df', '#0a7b83', '#cf222e', '#6e7781', '#4d2d00'];

export interface PlotSeries {
  label: string;
  values: number[];
  color: string;
  bars?: boolean;
  /** Markers only, no line. */
  points?: boolean;
  dashed?: boolean;
  scale?: 'y' | 'y2';
}

/**
 * uPlot with either categorical x (labels: one bar group per label) or weekly x (times: YYYY-MM-DD), any number of series.
 * (components/Chart.tsx draws one or two series over days; these reports need categories and many lines.)
 */
export function Plot({ title, labels, times, series, format, height = 240, band }: { title: string; labels?: string[]; times?: string[]; series: PlotSeries[]; format?: (v: number) => string; height?: number; band?: { lower: number; upper: number; fill: string } }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const cat = !!labels;
    const xs = cat ? labels.map((_, i) => i) : (times ?? []).map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 60] }) : undefined;
    const none = () => null;
    const y2 = series.some((s) => s.scale === 'y2');
    const num = (v: number) => (format ? format(v) : compact(v));
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      // A shaded band between two series (indices into `series`), e.g. P50 to P80.
      bands: band ? [{ series: [band.upper + 1, band.lower + 1], fill: band.fill }] : undefined,
      scales: cat
        ? { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.1)] }, y2: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.1)] } }
        : series.some((s) => s.bars)
          ? // Bars over time start at 0 (a bar from an offset axis misleads).
            { x: { time: true }, y: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.1)] }, y2: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.1)] } }
          : { x: { time: true } },
      axes: [
        cat
          ? { stroke: '#57606a', grid: { show: false }, splits: () => xs, values: (_u, vals) => vals.map((v) => labels[v] ?? '') }
          : { stroke: '#57606a', grid: { stroke: '#eef1f5' }, values: (_u, vals) => vals.map((v) => new Date(v * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })) },
        { stroke: '#57606a', grid: { stroke: '#eef1f5' }, size: 64, values: (_u, vals) => vals.map((v) => compact(v)) },
        ...(y2 ? [{ side: 1, scale: 'y2', stroke: '#bc4c00', grid: { show: false }, size: 60, values: (_u: uPlot, vals: number[]) => vals.map((v) => compact(v)) }] : []),
      ],
      series: [
        { label: cat ? 'Item' : 'Week of', value: (_u, v) => (v == null ? '—' : cat ? (labels[v] ?? '') : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.bars ? `${s.color}88` : undefined,
          width: s.bars ? 1 : 2,
          dash: s.dashed ? [6, 4] : undefined,
          scale: s.scale ?? 'y',
          paths: s.bars ? bars : s.points ? none : undefined,
          points: s.points ? { show: true, size: 10, fill: s.color, stroke: s.color } : { show: !cat && xs.length <= 16 },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : s.scale === 'y2' ? fmtInt(v) : num(v)),
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [labels, times, series, format, height, band]);
  return <div ref={box} className="chart" role="img" aria-label={title} />;
}

