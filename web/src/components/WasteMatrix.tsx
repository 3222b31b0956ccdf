import type { AbcClass, Elasticities, MatrixCell, XyzClass } from '../api.ts';
import { fmtInt, fmtMoney } from '../format.ts';

export interface ClassPick { abc?: AbcClass; xyz?: XyzClass }

/**
 * The ABC × XYZ matrix as a heat grid: each cell shows the item count and the stock value at cost; the colour
 * is the cell's share of the stock value. Clicking a cell filters the page by it (clicking again clears), a row or
 * column header filters by ABC or XYZ alone.
 */
export function WasteMatrix({ matrix, pick, onPick, currency }: { matrix: MatrixCell[]; pick: ClassPick; onPick: (p: ClassPick) => void; currency: string }) {
  const max = Math.max(1, ...matrix.map((c) => c.stockValue));
  const cell = (a: AbcClass, x: XyzClass) => matrix.find((c) => c.abc === a && c.xyz === x) ?? { abc: a, xyz: x, count: 0, stockValue: 0, revenue: 0 };
  const same = (p: ClassPick) => p.abc === pick.abc && p.xyz === pick.xyz;
  const toggle = (p: ClassPick) => onPick(same(p) ? {} : p);
  const XYZ: XyzClass[] = ['X', 'Y', 'Z'];
  return (
    <table className="waste-matrix" aria-label="ABC × XYZ matrix" data-testid="abc-xyz-matrix">
      <thead>
        <tr>
          <th scope="col" />
          {XYZ.map((x) => (
            <th key={x} scope="col">
              <button type="button" className="link" aria-pressed={same({ xyz: x })} onClick={() => toggle({ xyz: x })} title={x === 'X' ? 'steady demand (CV ≤ 0.5)' : x === 'Y' ? 'variable demand (CV ≤ 1)' : 'erratic or no demand'}>
                {x}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(['A', 'B', 'C'] as AbcClass[]).map((a) => (
          <tr key={a}>
            <th scope="row">
              <button type="button" className="link" aria-pressed={same({ abc: a })} onClick={() => toggle({ abc: a })} title={a === 'A' ? 'top 80 % of revenue' : a === 'B' ? 'next 15 %' : 'last 5 % and no revenue'}>
                {a}
              </button>
            </th>
            {XYZ.map((x) => {
              const c = cell(a, x);
              const heat = c.stockValue / max;
              return (
                <td key={x}>
                  <button
                    type="button"
                    className="waste-cell"
                    data-cell={a + x}
                    aria-pressed={same({ abc: a, xyz: x })}
                    aria-label={`${a}${x}: ${c.count} items, stock value ${fmtMoney(c.stockValue, currency)}`}
                    style={{ background: `rgba(207, 34, 46, ${0.06 + 0.6 * heat})` }}
                    onClick={() => toggle({ abc: a, xyz: x })}
                  >
                    <span className="waste-count">{fmtInt(c.count)}</span>
                    <span className="waste-value">{fmtMoney(c.stockValue, currency)}</span>
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Histogram of the fitted elasticities (posterior means), bins of 0.25. */
export function ElasticityHistogram({ data }: { data: Elasticities }) {
  const max = Math.max(1, ...data.histogram.map((b) => b.count));
  const first = data.histogram[0]?.from;
  const last = data.histogram.at(-1)?.to;
  return (
    <div data-testid="elasticity-histogram">
      <p className="small muted">
        {fmtInt(data.items)} items with sales at a price, {fmtInt(data.withOwnEstimate)} with enough price changes for an own estimate; the rest lean on their
        category. Pooled {data.pooled ?? '—'}, median {data.quantiles?.p50 ?? '—'} (p5 {data.quantiles?.p5 ?? '—'}, p95 {data.quantiles?.p95 ?? '—'}).
      </p>
      <div className="waste-hist" role="img" aria-label="Distribution of fitted price elasticities">
        {data.histogram.map((b) => (
          <div key={b.from} style={{ height: `${(100 * b.count) / max}%` }} title={`${b.from} to ${b.to}: ${b.count} items`} />
        ))}
      </div>
      {first !== undefined && (
        <div className="waste-hist-axis">
          <span>{first}</span>
          <span>elasticity (% change in units per % change in price)</span>
          <span>{last}</span>
        </div>
      )}
    </div>
  );
}
