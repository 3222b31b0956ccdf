import { sql, type Kysely } from 'kysely';

/**
 * Promotions (issue 6): price rules a manager accepted (from a markdown offer) or entered. A rule targets one
 * product or a whole category, takes a percent off or sets a fixed price, and runs from starts_on to ends_on
 * (inclusive, UTC dates). Rows are never deleted: cancelling sets status 'cancelled' (audited).
 *
 * product_prices_now: the price every product sells at today (UTC): the lowest price among the running rules that
 * match it, else its regular price. The storefront and kiosk read prices through it (or effectivePrices() in
 * src/services/promotions.service.ts for another day).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table promotions (
  id serial primary key,
  name text not null,
  product_id int references products(id),
  category text,
  kind text not null check (kind in ('percent','fixed_price')),
  value numeric(12,4) not null check (value > 0),
  starts_on date not null,
  ends_on date not null,
  status text not null default 'active' check (status in ('active','cancelled')),
  source text not null default 'manual' check (source in ('manual','markdown')),
  offer jsonb,
  created_by int references users(id),
  created_by_label text not null,
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  cancelled_by text,
  check ((product_id is null) <> (category is null)),
  check (ends_on >= starts_on),
  check (kind <> 'percent' or value < 100)
);
create index promotions_product on promotions(product_id, starts_on, ends_on) where status = 'active' and product_id is not null;
create index promotions_category on promotions(category, starts_on, ends_on) where status = 'active' and category is not null;
create view product_prices_now as
  select p.id as product_id, p.sku, p.price as regular_price,
    coalesce(best.price, p.price) as price, best.promotion_id, best.ends_on as promotion_ends_on
  from products p
  left join lateral (
    select r.id as promotion_id, r.ends_on,
      round(case when r.kind = 'percent' then p.price * (1 - r.value / 100) else least(r.value, p.price) end, 2) as price
    from promotions r
    where r.status = 'active' and (r.product_id = p.id or r.category = p.category)
      and (now() at time zone 'UTC')::date between r.starts_on and r.ends_on
    order by 3, r.id
    limit 1) best on true;
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view if exists product_prices_now; drop table if exists promotions cascade`.execute(db);
}
