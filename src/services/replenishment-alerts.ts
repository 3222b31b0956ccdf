/**
 * Replenishment alerts in the shared alerts table:
 *  - 'stockout_risk' per SKU × location: the projected stock runs out before an order placed today could arrive
 *    (one open alert per item, like low stock);
 *  - 'po_overdue' per PO: sent or partly received, expected date passed, goods still missing. Closed by itself
 *    when the PO is received, closed or cancelled.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

type Trx = Transaction<DB>;

export async function raiseStockoutAlerts(trx: Trx, items: { productId: number; locationId: number; message: string; data: unknown }[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < items.length; i += 5000) {
    const b = items.slice(i, i + 5000);
    const r = await sql`
      insert into alerts (kind, severity, product_id, location_id, message, data)
      select 'stockout_risk', 'critical', x.p, x.l, x.m, x.d::jsonb
      from unnest(${b.map((x) => x.productId)}::int[], ${b.map((x) => x.locationId)}::int[], ${b.map((x) => x.message)}::text[], ${b.map((x) => JSON.stringify(x.data))}::text[]) as x(p, l, m, d)
      on conflict (kind, product_id, location_id) where acknowledged_at is null do nothing`.execute(trx);
    n += Number(r.numAffectedRows ?? 0);
  }
  return n;
}

/** Opens a 'po_overdue' alert for each late PO that has none open; returns how many were opened. */
export async function raiseOverdueAlerts(trx: Trx, now: Date): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const r = await sql`
    insert into alerts (kind, severity, location_id, message, data)
    select 'po_overdue', 'warning', po.location_id,
      'Purchase order ' || po.number || ' from ' || s.code || ' is overdue: expected ' || to_char(po.expected_at, 'YYYY-MM-DD') || ', '
        || (select sum(l.qty_ordered - l.qty_received) from purchase_order_lines l where l.po_id = po.id and l.decision <> 'rejected') || ' units still to come',
      jsonb_build_object('po', po.number, 'poId', po.id, 'expectedAt', po.expected_at)
    from purchase_orders po join suppliers s on s.id = po.supplier_id
    where po.status in ('sent', 'partially_received') and po.expected_at < ${today}::date
      and po.id not in (select (a.data->>'poId')::int from alerts a where a.kind = 'po_overdue' and a.acknowledged_at is null and a.data ? 'poId')`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Closes a PO's open overdue alert (received in full, closed or cancelled). */
export async function closeOverdueAlert(trx: Trx, poId: number): Promise<void> {
  await sql`update alerts set acknowledged_at = now() where kind = 'po_overdue' and acknowledged_at is null and (data->>'poId')::int = ${poId}::int`.execute(trx);
}
