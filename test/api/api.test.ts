import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { routeTable } from '../../src/api/route.ts';
import { roleRank } from '../../src/services/auth.service.ts';
import type { Role } from '../../src/db/schema.ts';
import { describeEachDb } from '../helpers/db.ts';
import { apiHarness } from '../helpers/api.ts';

describeEachDb('HTTP API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await h.call('POST', '/api/locations', { role: 'admin', body: { code: 'S1', name: 'Store', kind: 'store' } });
    await h.call('POST', '/api/products', { role: 'manager', body: { sku: 'TEE-1', name: 'Tee', price: 12.5, cost: 5, gender: 'women', colour: 'Navy' } });
  });

  test('every route checks its role: 401 without a token, 403 below its role, through at its role', async () => {
    const app = h.app as unknown as { routes: { method: string; path: string }[] };
    const apiRoutes = new Set(app.routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.endsWith('/*') && r.path !== '/api/openapi.json').map((r) => `${r.method} ${r.path}`));
    const table = new Set(routeTable.map((r) => `${r.method} ${r.path}`));
    for (const r of apiRoutes) assert.ok(table.has(r), `${r} is registered without an access rule`);
    assert.ok(routeTable.length >= 30, `only ${routeTable.length} routes`);
    const roles: Role[] = ['kiosk', 'staff', 'manager', 'admin'];
    for (const r of routeTable) {
      const path = r.path.replace(/:(\w+)/g, (_m, p) => (p === 'id' ? '999999' : p === 'sku' ? 'TEE-1' : 'S1'));
      const anon = await h.call(r.method, path, { body: r.method === 'GET' ? undefined : {} });
      if (r.access === 'public') {
        assert.notEqual(anon.status, 401, `${r.method} ${r.path} is public`);
        continue;
      }
      assert.equal(anon.status, 401, `${r.method} ${r.path} without a token`);
      assert.match(anon.body.error, /sign in/);
      for (const role of roles) {
        const res = await h.call(r.method, path, { role, body: r.method === 'GET' ? undefined : {}, headOnly: r.path.endsWith('/events') });
        if (roleRank(role) < roleRank(r.access)) assert.equal(res.status, 403, `${r.method} ${r.path} as ${role} (needs ${r.access})`);
        else assert.ok(res.status !== 401 && res.status !== 403, `${r.method} ${r.path} as ${role} got ${res.status}`);
      }
    }
  });

  test('bad input: 400 naming the field and the reason', async () => {
    const a = await h.call('POST', '/api/sales', { role: 'staff', body: { location: 'S1', lines: [{ sku: 'TEE-1', qty: 'two' }] } });
    assert.equal(a.status, 400);
    assert.equal(a.body.field, 'lines.0.qty');
    assert.match(a.body.error, /number/);
    const b = await h.call('POST', '/api/products', { role: 'manager', body: { sku: 'X 1', name: 'bad' } });
    assert.equal(b.status, 400);
    assert.equal(b.body.field, 'sku');
    const c = await h.call('POST', '/api/sales', { role: 'staff', raw: '{"location": "S1", lines: [' });
    assert.equal(c.status, 400);
    assert.match(c.body.error, /JSON/);
    const d = await h.call('POST', '/api/products', { role: 'manager', body: { sku: 'TEE-1', name: 'again' } });
    assert.equal(d.status, 409);
    assert.match(d.body.error, /sku TEE-1 already exists/);
    const e = await h.call('GET', '/api/inventory?sort=bogus', { role: 'staff' });
    assert.equal(e.status, 400);
    assert.equal(e.body.field, 'sort');
    const f = await h.call('POST', '/api/sales', { role: 'staff', body: { location: 'S1', lines: [{ sku: 'NOPE', qty: 1 }] } });
    assert.equal(f.status, 404);
    assert.equal(f.body.field, 'lines.0.sku');
  });

  test('receipt, sale, insufficient stock, idempotent replay over HTTP', async () => {
    const r = await h.call('POST', '/api/movements', { role: 'staff', body: { lines: [{ sku: 'TEE-1', location: 'S1', kind: 'receipt', qty: 3 }] } });
    assert.equal(r.status, 201);
    const sale = { location: 'S1', lines: [{ sku: 'TEE-1', qty: 2 }] };
    const s1 = await h.call('POST', '/api/sales', { role: 'staff', body: sale, headers: { 'idempotency-key': 'pos-42' } });
    const s2 = await h.call('POST', '/api/sales', { role: 'staff', body: sale, headers: { 'idempotency-key': 'pos-42' } });
    assert.equal(s1.status, 201);
    assert.deepEqual(s2.body, s1.body);
    assert.equal(s2.headers.get('idempotent-replayed'), 'true');
    const s3 = await h.call('POST', '/api/sales', { role: 'staff', body: sale });
    assert.equal(s3.status, 409);
    assert.equal(s3.body.detail.items[0].available, 1);
    const inv = await h.call('GET', '/api/inventory?q=tee', { role: 'staff' });
    assert.equal(inv.body.total, 1);
    assert.equal(inv.body.items[0].onHand, 1);
    const p = await h.call('GET', '/api/products/TEE-1', { role: 'kiosk' });
    assert.equal(p.body.stock[0].available, 1);
    const mv = await h.call('GET', '/api/movements?sku=TEE-1&limit=1', { role: 'staff' });
    assert.equal(mv.body.items.length, 1);
    assert.equal(mv.body.items[0].kind, 'sale');
    assert.ok(mv.body.next);
  });

  test('login, session cookie, logout', async () => {
    const users = await h.call('GET', '/api/users', { role: 'admin' });
    const staff = users.body.items.find((u: { role: string }) => u.role === 'staff');
    const bad = await h.call('POST', '/api/auth/login', { body: { email: staff.email, password: 'wrong password' } });
    assert.equal(bad.status, 401);
    const ok = await h.call('POST', '/api/auth/login', { body: { email: staff.email, password: 'correct horse battery' } });
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    assert.match(ok.headers.get('set-cookie')!, /HttpOnly/);
    const me = await h.call('GET', '/api/auth/me', { headers: { cookie } });
    assert.equal(me.body.role, 'staff');
    await h.call('POST', '/api/auth/logout', { headers: { cookie } });
    const after = await h.call('GET', '/api/auth/me', { headers: { cookie } });
    assert.equal(after.status, 401);
  });

  test('audit log records product and threshold changes with the actor', async () => {
    await h.call('PATCH', '/api/products/TEE-1', { role: 'manager', body: { price: 14 } });
    await h.call('PUT', '/api/inventory/TEE-1/S1/threshold', { role: 'manager', body: { lowThreshold: 2 } });
    const a = await h.call('GET', '/api/audit?limit=10', { role: 'manager' });
    const actions = a.body.items.map((x: { action: string }) => x.action);
    assert.ok(actions.includes('product.price'));
    assert.ok(actions.includes('threshold.set'));
    const price = a.body.items.find((x: { action: string }) => x.action === 'product.price');
    assert.deepEqual([price.before.price, price.after.price], [12.5, 14]);
    assert.match(price.actor, /^manager-/);
  });

  test('OpenAPI document and the reference page', async () => {
    const doc = await h.call('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.ok(doc.body.paths['/api/sales'].post);
    const docs = await h.app.request('/docs');
    assert.match(await docs.text(), /Shelfwise API/);
  });
});
