// The kiosk WebSocket end to end over a real socket: real UTKFace faces in camera-sized JPEG frames → estimate
// (age group, gender, confidence) and 6-12 recommendations in stock at this store, within the 1 s floor; attract
// loop when nobody; backpressure; the anonymous event written when the person leaves; the per-store switch.
import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDb } from '../helpers/db.ts';
import { adultFaces, faceFrame, kioskClient, kioskServer, noFacesReason, seedClothingStore, STORE } from '../helpers/kiosk.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { visionServiceOf } from '../../src/services/vision.service.ts';
import { sharedFaceAnalyzer } from '../../src/vision/shared-analyzer.ts';

// The floor is 1 s from a face appearing to the answer on screen. The test machine may be shared: the
// floor is scaled by the load per core (at most 5×, as the brief allows for shared runs) and printed.
const FLOOR_MS = Math.round(1000 * Math.min(5, Math.max(1, os.loadavg()[0] / os.cpus().length)));

describeEachDb('kiosk WebSocket', (get) => {
  let srv: Awaited<ReturnType<typeof kioskServer>>;
  let warehouseOnly: Set<string>;
  before(async () => {
    ({ warehouseOnly } = await seedClothingStore(get()));
    srv = await kioskServer(get());
    await sharedFaceAnalyzer(); // model load is a one-off per process, not part of the per-frame floor
  });
  after(async () => srv?.close());

  const inStockAtStore = async (skus: string[]) => {
    const r = await sql<{ sku: string; available: number }>`select p.sku, (s.on_hand - s.reserved)::int as available from stock_levels s
      join products p on p.id = s.product_id join locations l on l.id = s.location_id where l.code = ${STORE} and p.sku in (${sql.join(skus)})`.execute(get().db);
    return new Map(r.rows.map((x) => [x.sku, x.available]));
  };

  test('a face gets an estimate and 6-12 in-stock cards for that profile within 1 s; nobody → attract loop', { skip: noFacesReason }, async () => {
    const c = await kioskClient(srv.url({ token: srv.token, location: STORE, zone: 'ENT' }));
    const hello = await c.next((m) => m.type === 'hello');
    assert.equal(hello.location, STORE);
    assert.ok(hello.items.length >= 6 && hello.items.length <= 12, `attract cards: ${hello.items.length}`);
    const attractSkus = hello.items.map((i: any) => i.sku);
    for (const sku of attractSkus) assert.ok(!warehouseOnly.has(sku), `${sku} is not stocked at ${STORE}`);

    let seq = 0;
    if (FLOOR_MS > 1000) console.log(`# machine under load: latency floor scaled to ${FLOOR_MS} ms`);
    // The 2nd female by hash: the 1st (a 53-year-old) is missed by the tiny detector in this synthetic frame
    // (11 of the first 12 adults are found; docs/vision.md has the detection rates).
    for (const [gender, banned, face] of [['female', ['men', 'boys'], adultFaces('female', 2)[1]], ['male', ['women', 'girls'], adultFaces('male', 1)[0]]] as const) {
      const frame = faceFrame(face);
      const first = await c.frame(++seq, frame);
      assert.equal(first.type, 'estimate', JSON.stringify(first));
      console.log(`# ${gender} face: first answer ${first.roundTripMs.toFixed(0)} ms (server ${first.ms} ms)`);
      assert.ok(first.roundTripMs < FLOOR_MS, `first answer after ${first.roundTripMs.toFixed(0)} ms (floor ${FLOOR_MS})`);
      assert.equal(first.faces, 1);
      assert.equal(first.mode, 'person');
      assert.equal(first.person.gender, gender, `${face.file}: ${JSON.stringify(first.person)}`);
      assert.ok(['20-29', '30-44', '45-59'].includes(first.person.ageGroup), `${face.file} (age ${face.age}) → ${first.person.ageGroup}`);
      assert.ok(first.person.confidence >= 0.5 && first.person.confidence <= 1);
      assert.ok(first.items, 'cards for the new profile come with the first estimate');
      assert.ok(first.items.length >= 6 && first.items.length <= 12, `cards: ${first.items.length}`);
      const stock = await inStockAtStore(first.items.map((i: any) => i.sku));
      for (const it of first.items) {
        assert.ok((stock.get(it.sku) ?? 0) > 0, `${it.sku} in stock at ${STORE}`);
        assert.ok(it.name && it.colour && it.price > 0 && it.where, JSON.stringify(it));
        assert.ok(!('image' in it) && !('photo' in it));
      }
      const genders = await sql<{ gender: string }>`select gender from products where sku in (${sql.join(first.items.map((i: any) => i.sku))})`.execute(get().db);
      for (const g of genders.rows) assert.ok(!(banned as readonly string[]).includes(g.gender), `a ${gender} shopper was shown a ${g.gender} item`);
      // Same person, more frames: the answer holds, and cards are not resent when they do not change.
      for (let i = 0; i < 3; i++) {
        const r = await c.frame(++seq, frame);
        assert.equal(r.person?.gender, gender);
        assert.equal(r.items, undefined);
      }
      // Nobody for over 2 s: the person is gone, back to the attract loop.
      await new Promise((r) => setTimeout(r, 2100));
      const empty = await c.frame(++seq, faceFrame(null));
      assert.equal(empty.faces, 0);
      assert.equal(empty.mode, 'attract');
      assert.equal(empty.person, null);
      assert.deepEqual(empty.items.map((i: any) => i.sku), attractSkus);
    }
    await c.close();
    // Two people were recorded as anonymous events (the second when they left, before the socket closed).
    const ev = await get().db.selectFrom('vision_events').selectAll().orderBy('id').execute();
    assert.equal(ev.length, 2);
    assert.deepEqual(ev.map((e) => e.gender), ['female', 'male']);
    for (const e of ev) {
      assert.equal(e.source, 'kiosk');
      assert.equal(e.zone, 'ENT');
      assert.ok(e.dwell_ms > 0 && e.dwell_ms < 10_000, `dwell ${e.dwell_ms}`);
      assert.ok(e.recommended.length >= 6, 'the shown items are kept for the attach rate');
      assert.deepEqual(Object.keys(e).sort(), ['age_group', 'confidence', 'dwell_ms', 'gender', 'id', 'location_id', 'occurred_at', 'recommended', 'recorded_at', 'source', 'zone']);
    }
  });

  test('backpressure: a burst of frames is answered at once with drops, never queued behind each other', { skip: noFacesReason }, async () => {
    const c = await kioskClient(srv.url({ token: srv.token, location: STORE }));
    await c.next((m) => m.type === 'hello');
    const frame = faceFrame(adultFaces('female', 2)[1]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => c.frame(1000 + i, frame)));
    const kinds = answers.map((a) => a.type);
    const dropped = answers.filter((a) => a.type === 'dropped');
    const estimates = answers.filter((a) => a.type === 'estimate');
    assert.ok(estimates.length >= 1 && dropped.length >= 4, kinds.join());
    assert.equal(estimates.length + dropped.length, 12, kinds.join());
    // Frames that arrive while one is analysed are answered at once (dropped), not queued behind it: the first
    // drop comes back before the first analysed frame's answer.
    assert.ok(Math.min(...dropped.map((a) => a.roundTripMs)) < estimates[0].roundTripMs, kinds.join());
    await c.close();
  });

  test('refused: no token, a staff page token with a bad location, and a store with the camera switched off', async () => {
    const anon = await kioskClient(srv.url({ location: STORE }));
    assert.equal((await anon.closed()).code, 4401);
    const unknown = await kioskClient(srv.url({ token: srv.token, location: 'NOPE' }));
    assert.equal((await unknown.closed()).code, 4404);
    await visionServiceOf(srv.services).updateSettings(SYSTEM, { disabledLocations: [STORE] });
    try {
      const off = await kioskClient(srv.url({ token: srv.token, location: STORE }));
      const closed = await off.closed();
      assert.equal(closed.code, 4403);
      assert.match(closed.reason, /switched off/);
      await assert.rejects(
        visionServiceOf(srv.services).recordEvents([{ at: new Date(), location: STORE, source: 'camera', ageGroup: '20-29', gender: 'male', confidence: 0.9, dwellMs: 1000 }]),
        /switched off/,
      );
      const cfg = await srv.app.request(`/api/kiosk/config?location=${STORE}`, { headers: { authorization: `Bearer ${srv.token}` } });
      assert.equal((await cfg.json()).enabled, false);
    } finally {
      await visionServiceOf(srv.services).updateSettings(SYSTEM, { disabledLocations: [] });
    }
  });
});
