import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** null = no value there (a gap), e.g. history before the forecast starts. */
  values: (number | null)[];
  color: string;
  /** Bars instead of a line. */
  bars?: boolean;
  format?: (v: number) => string;
  /** Dashed line (forecast quantiles). */
  dash?: number[];
  /** Draw a dot at each value (sparse weekly rates, where a lone week would otherwise not show). */
  points?: boolean;
}

/** A time-series chart (uPlot): x as YYYY-MM-DD days, one or two y series (the second on its own right axis). */
/** With sameScale, every series shares the left axis (history and forecast in the same units). */
export function Chart({ days, series, height = 220, title, sameScale = false }: { days: string[]; series: ChartSeries[]; height?: number; title: string; sameScale?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#57606a', grid: { stroke: '#eef1f5' }, values: (_u, vals) => vals.map((v) => new Date(v * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })) },
        { stroke: '#57606a', grid: { stroke: '#eef1f5' }, size: 60, values: (_u, vals) => vals.map((v) => compact(v)) },
        ...(series.length > 1 && !sameScale ? [{ side: 1, scale: 'y2', stroke: '#57606a', grid: { show: false }, size: 60, values: (_u: uPlot, vals: number[]) => vals.map((v) => compact(v)) }] : []),
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color,
          fill: s.bars ? `${s.color}55` : `${s.color}14`,
          width: s.bars ? 1 : 2,
          scale: i === 0 || sameScale ? 'y' : 'y2',
          dash: s.dash,
          paths: s.bars ? bars : undefined,
          points: { show: s.points ?? false, size: 7 },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : s.format ? s.format(v) : String(v)),
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
  }, [days, series, height, sameScale]);
  return <div ref={box} className="chart" role="img" aria-label={title} />;
}

/** 1.2M, 3.4k, 12.5: short axis labels. */
export function compact(v: number) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(2));
}
