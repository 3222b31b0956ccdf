// Anonymous camera events: settings (retention, per-store switch, audited), automatic deletion past retention
// (the job serve starts), and the demographics report (suppression, previous period, hours, attach rate).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDb } from '../helpers/db.ts';
import { seedClothingStore, STORE } from '../helpers/kiosk.ts';
import { startVisionRetention } from '../../src/jobs/vision-retention.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { DemographicsService } from '../../src/services/demographics.service.ts';
import { createServices } from '../../src/services/index.ts';
import { VisionService, type NewVisionEvent } from '../../src/services/vision.service.ts';
import { AppError } from '../../src/errors.ts';

const DAY = 86_400_000;
const ev = (at: Date, over: Partial<NewVisionEvent> = {}): NewVisionEvent => ({ at, location: STORE, zone: 'ENT', source: 'kiosk', ageGroup: '20-29', gender: 'female', confidence: 0.9, dwellMs: 8000, ...over });

describeEachDb('vision events', (get) => {
  let vision: VisionService;
  before(async () => {
    await seedClothingStore(get());
    vision = new VisionService(get().db);
  });

  test('settings: 90 days by default, validated, audited; the switch refuses recording for that store', async () => {
    assert.deepEqual(await vision.settings(), { retentionDays: 90, disabledLocations: [] });
    await assert.rejects(vision.updateSettings(SYSTEM, { retentionDays: 0 }), (e: unknown) => e instanceof AppError && e.kind === 'invalid' && e.field === 'retentionDays');
    await assert.rejects(vision.updateSettings(SYSTEM, { disabledLocations: ['NOPE'] }), (e: unknown) => e instanceof AppError && e.kind === 'not_found');
    await vision.updateSettings(SYSTEM, { disabledLocations: [STORE] });
    await assert.rejects(vision.recordEvents([ev(new Date())]), (e: unknown) => e instanceof AppError && e.kind === 'forbidden');
    await assert.rejects(vision.cameraLocation(STORE), /switched off/);
    await vision.updateSettings(SYSTEM, { disabledLocations: [] });
    const audits = await get().db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'vision.settings.update').execute();
    assert.equal(audits.length, 2);
    assert.deepEqual((audits[0].after as any).disabledLocations, [STORE]);
    await assert.rejects(vision.recordEvents([ev(new Date(), { ageGroup: 'adult' as never })]), /unknown age group/);
  });

  test('retention: the job deletes events past the setting and nothing newer; the purge is audited', async () => {
    const now = Date.now();
    await vision.recordEvents([ev(new Date(now - 120 * DAY)), ev(new Date(now - 91 * DAY)), ev(new Date(now - 60 * DAY)), ev(new Date(now - DAY))]);
    const services = createServices(get());
    services.status.demo = 'loaded';
    const job = startVisionRetention(services, { id: null, label: 'scheduler', role: 'system' }, { firstMs: 10, everyMs: 3_600_000 });
    try {
      for (let i = 0; i < 200 && (await vision.countEvents()) > 2; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await vision.countEvents(), 2, 'the two events older than 90 days are gone');
      await vision.updateSettings(SYSTEM, { retentionDays: 30 });
      assert.equal(await job.tick(), 1);
      assert.equal(await vision.countEvents(), 1);
    } finally {
      job.stop();
      await vision.updateSettings(SYSTEM, { retentionDays: 90 });
    }
    const purges = await get().db.selectFrom('audit_log').select(['actor', 'after']).where('action', '=', 'vision.purge').execute();
    assert.deepEqual(purges.map((p) => [p.actor, (p.after as any).deleted]), [['scheduler', 2], ['scheduler', 1]]);
    await get().db.deleteFrom('vision_events').execute();
  });

  test('demographics: counts, small-count suppression, previous period, local hours, dwell, attach rate', async () => {
    const to = new Date(Date.UTC(2026, 10, 20));
    const day = (d: number, h: number) => new Date(to.getTime() - d * DAY + h * 3_600_000);
    const products = await get().db.selectFrom('products').select(['id', 'sku']).where('sku', 'like', 'DRESS-WOMEN-%').orderBy('id').execute();
    const events: NewVisionEvent[] = [];
    for (let i = 0; i < 6; i++) events.push(ev(day(2, 10), { dwellMs: 4000 + i * 1000, recommended: [products[0].id, products[1].id] })); // 6 women 20-29, Wed 10:00 UTC
    for (let i = 0; i < 2; i++) events.push(ev(day(3, 15), { gender: 'male', ageGroup: '30-44', zone: 'WIN', dwellMs: 40_000 })); // 2 men 30-44
    for (let i = 0; i < 4; i++) events.push(ev(day(10, 12))); // previous period (7 days before)
    await vision.recordEvents(events);
    // One recommended dress sold at the store 30 minutes after it was shown: one converted shopper of six... all six
    // events share the time, so all six count (the sale followed each of them within the hour).
    const s = createServices(get());
    await s.inventory.recordSale(SYSTEM, { location: STORE, occurredAt: new Date(day(2, 10).getTime() + 30 * 60_000), lines: [{ sku: products[0].sku, qty: 1 }] });
    const r = await new DemographicsService(get().db).report({ from: new Date(to.getTime() - 7 * DAY), to, tzOffsetMinutes: 60, location: STORE });
    assert.equal(r.visitors, 8);
    assert.equal(r.previous.visitors, 4);
    assert.equal(r.change, 1);
    const cell = (a: string, g: string) => r.cells.find((c) => c.ageGroup === a && c.gender === g)!;
    assert.deepEqual([cell('20-29', 'female').count, cell('20-29', 'female').suppressed], [null, true], 'the only other non-zero cell is hidden too (complementary)');
    assert.deepEqual([cell('30-44', 'male').count, cell('30-44', 'male').suppressed], [null, true], '2 < k = 5');
    assert.equal(r.previous.cells.every((c) => c.suppressed), true, 'a period under k shows no breakdown');
    assert.equal(r.byHour[11].female, 6, '10:00 UTC is 11:00 at UTC+1');
    assert.equal(r.byHour[16].male, 2);
    const wd = (day(2, 10).getUTCDay() + 6) % 7;
    assert.equal(r.byWeekdayHour[wd][11], 6);
    assert.equal(r.dwell.buckets.find((b) => b.label === '30-60 s')!.count, 2);
    assert.equal(r.dwell.medianMs, 7500);
    assert.deepEqual(r.byPlace.map((p) => [p.zone, p.visitors]), [['ENT', 6], ['WIN', 2]]);
    assert.deepEqual([r.attach.shown, r.attach.converted], [6, 6]);
    assert.deepEqual(r.attach.items, [{ sku: products[0].sku, name: r.attach.items[0].name, sold: 1 }]);
    const k1 = await new DemographicsService(get().db).report({ from: new Date(to.getTime() - 7 * DAY), to, minCount: 1 });
    assert.equal(k1.cells.find((c) => c.ageGroup === '30-44' && c.gender === 'male')!.count, 2);
    await assert.rejects(new DemographicsService(get().db).report({ from: to, to }), (e: unknown) => e instanceof AppError && e.kind === 'invalid');
  });
});
