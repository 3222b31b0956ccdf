import { sql, type Kysely } from 'kysely';

/**
 * Storefront and checkout (issue 10). Shop accounts live on customers (password_hash; email unique among
 * accounts), with their own session table (not the staff sessions). An order holds its lines and, while it
 * waits for payment, one reservation per line: stock_levels.reserved is raised by a conditional UPDATE
 * (on_hand - reserved >= qty) in the order's transaction, and lowered again when the reservation is converted
 * to sale movements (payment succeeded), released (payment failed, cancelled) or expired (the sweeper).
 * payment_events makes webhook deliveries idempotent (Stripe retries).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table customers add column password_hash text;
create unique index customers_account_email on customers (lower(email)) where password_hash is not null;
-- The shop listing walks this in price order (shop-catalog.service.ts list(); products_style finds a style's sizes).
create index products_shop_price on products (price, id) where status = 'active';
create table customer_sessions (
  token_hash text primary key,
  customer_id int not null references customers(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index customer_sessions_customer on customer_sessions(customer_id);
create table orders (
  id serial primary key,
  ref text not null unique,
  customer_id int references customers(id),
  email text not null,
  name text not null,
  address text,
  location_id int not null references locations(id),
  status text not null default 'pending' check (status in ('pending','confirmed','failed','expired','cancelled','refunded','partially_refunded')),
  payment_provider text not null,
  payment_status text not null default 'pending' check (payment_status in ('pending','due','paid','failed','refunded')),
  payment_ref text,
  access_hash text not null,
  currency text not null default 'GBP',
  subtotal numeric(14,2) not null,
  total numeric(14,2) not null,
  refunded_total numeric(14,2) not null default 0,
  sale_id bigint,
  note text,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  updated_at timestamptz not null default now()
);
create index orders_created on orders(created_at desc);
create index orders_customer on orders(customer_id) where customer_id is not null;
create index orders_payment_ref on orders(payment_ref) where payment_ref is not null;
create table order_lines (
  order_id int not null references orders(id) on delete cascade,
  line int not null,
  product_id int not null references products(id),
  sku text not null,
  name text not null,
  qty int not null check (qty > 0),
  list_price numeric(12,2) not null,
  unit_price numeric(12,2) not null,
  refunded_qty int not null default 0 check (refunded_qty >= 0 and refunded_qty <= qty),
  primary key (order_id, line)
);
create table reservations (
  id bigserial primary key,
  order_id int not null references orders(id) on delete cascade,
  product_id int not null,
  location_id int not null,
  qty int not null check (qty > 0),
  state text not null default 'held' check (state in ('held','converted','released','expired')),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create index reservations_held on reservations(expires_at) where state = 'held';
create index reservations_order on reservations(order_id);
create table payment_events (
  provider text not null,
  event_id text not null,
  type text not null,
  order_id int references orders(id) on delete set null,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists payment_events, reservations, order_lines, orders, customer_sessions cascade;
drop index if exists customers_account_email, products_shop_price;
alter table customers drop column if exists password_hash;`.execute(db);
}
