import { useState } from 'react';
import { api, ApiError, qs, type Bundle, type Classification, type Elasticities, type MarkdownOffer, type Offers, type Promotion, type SlowStock } from '../api.ts';
import { ElasticityHistogram, WasteMatrix, type ClassPick } from '../components/WasteMatrix.tsx';
import { fmtDay, fmtInt, fmtMoney, fmtNum } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';
import { LocationPicker } from '../components/LocationPicker.tsx';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Waste & markdowns: ABC × XYZ matrix, slow and dead stock, markdown offers (manager: accept → promotion). */
export default function WastePage() {
  useTitle('Waste & markdowns');
  const { can } = useSession();
  const [location, setLocation] = useState('');
  const [pick, setPick] = useState<ClassPick>({});
  const [status, setStatus] = useState<'all' | 'dead' | 'slow' | 'excess'>('all');
  const [days, setDays] = useState(56);
  const [msg, setMsg] = useState<{ ok?: string; err?: string }>({});
  const settings = useApi<{ currency: string }>('/api/dashboard/settings');
  const cur = settings.data?.currency ?? 'GBP';
  const filter = { location, abc: pick.abc, xyz: pick.xyz };
  const cls = useApi<Classification>(`/api/waste/classification${qs({ location, limit: 1 })}`, { live: true });
  const slow = useApi<SlowStock>(`/api/waste/slow-stock${qs({ ...filter, status, limit: 50 })}`, { live: true });
  const offers = useApi<Offers>(`/api/waste/offers${qs({ ...filter, days, limit: 30 })}`, { live: true });
  const el = useApi<Elasticities>(`/api/waste/elasticities${qs({ location })}`);
  const t = slow.data?.totals;
  const anchor = cls.data?.anchor;

  async function accept(o: MarkdownOffer) {
    setMsg({});
    try {
      const p = await api<Promotion>('/api/waste/offers/accept', { method: 'POST', body: { sku: o.sku, location: o.location, days } });
      setMsg({ ok: `Promotion ${p.id} created: ${p.value}% off ${o.sku} from ${p.startsOn} to ${p.endsOn}.` });
      offers.reload();
    } catch (e) {
      setMsg({ err: e instanceof ApiError ? e.message : String(e) });
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>Waste & markdowns</h1>
        <LocationPicker value={location} onChange={setLocation} testId="waste-location" />
      </div>
      {anchor?.historical && (
        <p className="note" role="note">
          The sales data is historical: the analysis is as of the latest recorded sale, <b>{fmtDay(anchor.today)}</b>. Accepted promotions run from today.
        </p>
      )}
      {cls.error && <p className="err" role="alert">{cls.error.message}</p>}
      <div className="kpis">
        <div className="card kpi warn"><span className="kpi-label">Dead stock items</span><span className="kpi-value" data-testid="kpi-dead">{fmtInt(t?.dead)}</span><span className="kpi-sub">no sale for 90+ days</span></div>
        <div className="card kpi"><span className="kpi-label">Slow items</span><span className="kpi-value">{fmtInt(t?.slow)}</span><span className="kpi-sub">over 120 days of cover</span></div>
        <div className="card kpi"><span className="kpi-label">Excess units</span><span className="kpi-value">{fmtInt(t?.excessUnits)}</span><span className="kpi-sub">beyond 90 days of demand</span></div>
        <div className="card kpi"><span className="kpi-label">Value tied up</span><span className="kpi-value">{fmtMoney(t?.tiedUpValue, cur)}</span><span className="kpi-sub">of {fmtMoney(t?.stockValue, cur)} at cost</span></div>
      </div>
      <div className="waste-grid">
        <section className="card" aria-labelledby="waste-matrix-h">
          <h2 id="waste-matrix-h">ABC × XYZ</h2>
          <p className="small muted">Rows: share of revenue over the last year (A = top 80 %). Columns: variability of weekly demand. Click a cell to filter the lists below.</p>
          {cls.data ? <WasteMatrix matrix={cls.data.matrix} pick={pick} onPick={setPick} currency={cur} /> : <div className="chart-placeholder" />}
          {(pick.abc || pick.xyz) && (
            <p className="small">
              Showing class <b>{pick.abc ?? '*'}{pick.xyz ?? '*'}</b>{' '}
              <button type="button" className="secondary small" onClick={() => setPick({})}>Clear</button>
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="waste-el-h">
          <h2 id="waste-el-h">Price elasticities</h2>
          {el.data ? <ElasticityHistogram data={el.data} /> : <div className="chart-placeholder" />}
        </section>
      </div>
      <p className="ok" role="status">{msg.ok}</p>
      {msg.err && <p className="err" role="alert">{msg.err}</p>}
      <OffersCard data={offers.data} loading={offers.loading} error={offers.error?.message} cur={cur} days={days} setDays={setDays} canAccept={can('manager')} onAccept={accept} />
      <section className="card table-card" aria-labelledby="waste-slow-h">
        <div className="toolbar page-head">
          <h2 id="waste-slow-h">Slow and dead stock by value tied up</h2>
          <span style={{ display: 'flex', gap: '.8rem', alignItems: 'center' }}>
            <span className="toggle" role="group" aria-label="Status">
              {(['all', 'dead', 'slow', 'excess'] as const).map((s) => (
                <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>{s}</button>
              ))}
            </span>
            <a className="button secondary" href={`/api/waste/slow-stock${qs({ ...filter, status, format: 'csv' })}`} download="slow-stock.csv">Download CSV</a>
          </span>
        </div>
        <div className="table-scroll short">
          <table className="data" aria-busy={slow.loading} data-testid="slow-table">
            <thead>
              <tr>
                <th scope="col">Item</th><th scope="col">Class</th><th scope="col">Status</th><th scope="col" className="num">On hand</th>
                <th scope="col" className="num">Last sale</th><th scope="col" className="num">Cover (days)</th><th scope="col" className="num">Sell-through 28 d</th>
                <th scope="col" className="num">Stock age (days)</th><th scope="col" className="num">Excess</th><th scope="col" className="num">Tied up</th>
              </tr>
            </thead>
            <tbody>
              {slow.data?.items.map((i) => (
                <tr key={`${i.sku}@${i.location}`}>
                  <td><Link to={`/products/${encodeURIComponent(i.sku)}`}>{i.sku}</Link> <span className="muted small">{i.name} @ {i.location}</span></td>
                  <td>{i.abc}{i.xyz}</td>
                  <td><span className={`tag waste-tag-${i.status}`}>{i.status}</span></td>
                  <td className="num">{fmtInt(i.onHand)}</td>
                  <td className="num">{i.daysSinceLastSale === null ? 'never' : `${i.daysSinceLastSale} d ago`}</td>
                  <td className="num">{i.daysOfCover === null ? '∞' : fmtInt(i.daysOfCover)}</td>
                  <td className="num">{pct(i.sellThrough)}</td>
                  <td className="num">{i.avgAgeDays === null ? '—' : fmtInt(i.avgAgeDays)}</td>
                  <td className="num">{fmtInt(i.excessUnits)}</td>
                  <td className="num">{fmtMoney(i.tiedUpValue, cur)}</td>
                </tr>
              ))}
              {!slow.loading && slow.data?.items.length === 0 && <tr><td colSpan={10} className="empty">Nothing slow or dead here.</td></tr>}
            </tbody>
          </table>
        </div>
        {slow.data && slow.data.total > slow.data.items.length && <p className="small muted" style={{ margin: '.6rem .8rem' }}>Top {slow.data.items.length} of {fmtInt(slow.data.total)}; the CSV has them all.</p>}
      </section>
    </>
  );
}

function OffersCard(p: { data: Offers | null; loading: boolean; error?: string; cur: string; days: number; setDays: (d: number) => void; canAccept: boolean; onAccept: (o: MarkdownOffer) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="card table-card" aria-labelledby="waste-offers-h">
      <div className="toolbar page-head">
        <h2 id="waste-offers-h">Markdown offers</h2>
        <label className="inline">
          Clear by{' '}
          <select value={p.days} onChange={(e) => p.setDays(Number(e.target.value))} data-testid="offer-days">
            {[14, 28, 56, 84, 120].map((d) => <option key={d} value={d}>{d} days</option>)}
          </select>
        </label>
      </div>
      {p.error && <p className="err" role="alert" style={{ margin: '.6rem .8rem' }}>{p.error}</p>}
      {p.data && (
        <p className="small muted" style={{ margin: '.6rem .8rem' }}>
          {fmtInt(p.data.total)} excess items with demand; each offer is the discount that sells the excess by {fmtDay(p.data.targetDate)} at the best expected
          revenue (Poisson demand, elasticity uncertainty included). {fmtInt(p.data.noDemand.count)} more excess items have no demand at all
          ({fmtMoney(p.data.noDemand.tiedUpValue, p.cur)} at cost): a markdown cannot move them; bundle or clear them.
        </p>
      )}
      <div className="table-scroll short">
        <table className="data" aria-busy={p.loading} data-testid="offers-table">
          <thead>
            <tr>
              <th scope="col">Item</th><th scope="col" className="num">Excess (on hand)</th><th scope="col" className="num">Demand / day</th>
              <th scope="col" className="num">Discount → price</th><th scope="col" className="num">Uplift</th>
              <th scope="col" className="num">Sells (to clear)</th><th scope="col" className="num">Revenue (no markdown)</th><th scope="col">Elasticity</th><th scope="col" />
            </tr>
          </thead>
          <tbody>
            {p.data?.offers.map((o) => (
              <OfferRow key={`${o.sku}@${o.location}`} o={o} cur={p.cur} open={open === o.sku} toggle={() => setOpen(open === o.sku ? null : o.sku)} canAccept={p.canAccept} onAccept={p.onAccept} />
            ))}
            {!p.loading && p.data?.offers.length === 0 && <tr><td colSpan={10} className="empty">No excess stock with demand: nothing to mark down.</td></tr>}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OfferRow({ o, cur, open, toggle, canAccept, onAccept }: { o: MarkdownOffer; cur: string; open: boolean; toggle: () => void; canAccept: boolean; onAccept: (o: MarkdownOffer) => void }) {
  const bundles = useApi<{ items: Bundle[] }>(open ? `/api/waste/bundles${qs({ sku: o.sku, location: o.location })}` : null);
  return (
    <>
      <tr data-offer={o.sku}>
        <td><Link to={`/products/${encodeURIComponent(o.sku)}`}>{o.sku}</Link> <span className="tag">{o.abc}{o.xyz}</span><br /><span className="muted small">{o.name} @ {o.location}</span></td>
        <td className="num">{fmtInt(o.excessUnits)} <span className="muted small">({fmtInt(o.onHand)})</span></td>
        <td className="num">{fmtNum(o.dailyDemand)}</td>
        <td className="num nowrap">
          <b>{pct(o.depth)}</b> → {fmtMoney(o.offerPrice, cur)} <span className="muted small">was {fmtMoney(o.price, cur)}</span>
          {o.cannotClear && <><br /><span className="tag warning" title="No depth on the ladder clears it by the date: the best revenue is shown">can’t clear</span></>}
        </td>
        <td className="num">+{pct(o.uplift)}</td>
        <td className="num">{fmtInt(o.clearedUnits)} <span className="muted small">({fmtInt(o.clearUnits)})</span></td>
        <td className="num">{fmtMoney(o.revenue, cur)} <span className="muted small">({fmtMoney(o.baseline.revenue, cur)})</span></td>
        <td className="nowrap" title={`± ${o.elasticitySd}`}>{o.elasticity} <span className="tag">{o.elasticitySource}</span></td>
        <td className="nowrap">
          <button type="button" className="secondary small" onClick={toggle} aria-expanded={open}>Bundles</button>{' '}
          {o.promotionId ? (
            <Link to="/promotions">promotion {o.promotionId}</Link>
          ) : canAccept && o.depth > 0 ? (
            <button type="button" className="small" onClick={() => onAccept(o)} aria-label={`Accept offer for ${o.sku}`}>Accept</button>
          ) : null}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={10} className="small">
            {bundles.loading && 'Looking for co-purchases…'}
            {bundles.error && <span className="err">{bundles.error.message}</span>}
            {bundles.data && (bundles.data.items.length === 0 ? 'No frequent co-purchase partner that sells and is not excess itself.' : (
              <>Bundle with: {bundles.data.items.map((b, i) => <span key={b.partner}>{i > 0 && ', '}<Link to={`/products/${encodeURIComponent(b.partner)}`}>{b.partner}</Link> {b.name} <span className="muted">(bought together {b.score}, sells {b.partnerDailyDemand}/day)</span></span>)}</>
            ))}
          </td>
        </tr>
      )}
    </>
  );
}
