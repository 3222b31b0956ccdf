import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { seedRecommendStore } from '../helpers/recommend-data.ts';

describe('shelfwise recommend (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-recommend-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    await seedRecommendStore(database);
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('train, then a customer, an item and a demographic list with reasons', async () => {
    const t = await runCli(['recommend', 'train'], env);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /model 1: 12 customers, 7 items, \d+ order lines, 0 ratings, ease; read [\d.]+ s/);
    const c = await runCli(['recommend', 'customer', 'C0', '--location', 'S2', '--json'], env);
    assert.equal(c.code, 0, c.stderr);
    const items = JSON.parse(c.stdout);
    assert.equal(items[0].sku, 'CANDLE');
    assert.match(items[0].reason, /^buy again/);
    assert.ok(!items.some((x: { sku: string }) => x.sku === 'HOLDER'));
    const i = await runCli(['recommend', 'item', 'CANDLE', '--location', 'S1', '--limit', '2'], env);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /often bought together with Item CANDLE/);
    const d = await runCli(['recommend', 'demographic', '--gender', 'male', '--age', '34', '--location', 'S1', '--json'], env);
    assert.equal(d.code, 0, d.stderr);
    assert.ok(JSON.parse(d.stdout).every((x: { gender: string | null }) => x.gender === null || ['men', 'unisex'].includes(x.gender)));
    const m = await runCli(['recommend', 'models'], env);
    assert.match(m.stdout, /^\s+1 done/m);
  });

  test('bad input exits 2, unknown things 4', async () => {
    const a = await runCli(['recommend', 'demographic', '--gender', 'robot', '--age', '30'], env);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /gender/);
    const b = await runCli(['recommend', 'customer', 'NOBODY'], env);
    assert.equal(b.code, 4);
    const c = await runCli(['recommend', 'settings', '--boost-weight', '7'], env);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /boost-weight/);
  });

  test('eval --transactions FILE --json and rating-eval --format csv print the contract objects', async () => {
    const rows = ['date,sku,qty,customer,order'];
    let o = 0;
    const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    for (let c = 0; c < 30; c++)
      for (let rep = 0; rep < 4; rep++) {
        const d = rep * 25 + (c % 7);
        o++;
        for (const sku of c % 2 ? ['A', 'B', 'C'] : ['D', 'E']) rows.push(`${day(d)},${sku},1,K${c},O${o}`);
      }
    const file = join(dir, 'sales.csv');
    writeFileSync(file, rows.join('\n'));
    const r = await runCli(['recommend', 'eval', '--transactions', file, '--test-days', '20', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.users, 30);
    for (const k of ['auto', 'popularity', 'buy_again']) assert.ok(out.models[k]['ndcg@10'] >= 0 && out.models[k]['ndcg@10'] <= 1, k);
    assert.ok(out.models.auto['ndcg@10'] > out.models.popularity['ndcg@10'], JSON.stringify(out.models));
    assert.ok('hr@10' in out.fbt && 'mrr' in out.fbt);
    assert.ok(out.new_items.auto);
    const ratings = ['user,item,rating'];
    for (let u = 0; u < 40; u++) for (let it = 0; it < 10; it++) ratings.push(`${u},${it},${1 + ((u + it) % 5)}`);
    const rf = join(dir, 'ratings.csv');
    writeFileSync(rf, ratings.join('\n'));
    const e = await runCli(['recommend', 'rating-eval', '--ratings', rf, '--format', 'csv', '--folds', '3', '--json'], env);
    assert.equal(e.code, 0, e.stderr);
    const x = JSON.parse(e.stdout);
    assert.ok(x.rmse > 0 && x.mae > 0 && x.baseline.rmse > 0 && x.fit_seconds_per_fold > 0, e.stdout);
  });
});
