/** A tiny inline SVG line of weekly units sold (cheap enough for a hundred table rows). */
export function Sparkline({ values, width = 80, height = 22 }: { values: number[] | undefined; width?: number; height?: number }) {
  if (!values) return <span className="muted" aria-hidden="true">·</span>;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? (width - 2) / (values.length - 1) : 0;
  const pts = values.map((v, i) => `${(1 + i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${total} sold in ${values.length} weeks: ${values.join(', ')}`}>
      <title>{`Units sold per week, oldest first: ${values.join(', ')}`}</title>
      <polyline points={pts} fill="none" stroke={total ? '#0969da' : '#c4cad3'} strokeWidth="1.5" />
    </svg>
  );
}
