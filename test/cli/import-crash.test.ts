import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { dropSchema, openDatabase } from '../../src/db/connection.ts';
import { runCli, startCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sw-crash-'));
const N_SKU = 500;
const N_ROWS = 60_000;
writeFileSync(join(dir, 'products.csv'), 'sku,name,price\n' + Array.from({ length: N_SKU }, (_, i) => `K${i},Item ${i},${(i % 50) + 1}`).join('\n') + '\n');
writeFileSync(
  join(dir, 'sales.csv'),
  'date,sku,qty,price,order\n' +
    Array.from({ length: N_ROWS }, (_, i) => `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},K${(i * 7) % N_SKU},${1 + (i % 3)},2.5,O${Math.floor(i / 4)}`).join('\n') +
    '\n',
);

interface Target {
  name: string;
  env: Record<string, string>;
  open(): ReturnType<typeof openDatabase>;
  cleanup(): Promise<void>;
}

function targets(): Target[] {
  const dbDir = join(dir, 'pglite');
  const out: Target[] = [{ name: 'pglite', env: { SHELFWISE_DB_DIR: dbDir, DATABASE_URL: '' }, open: () => openDatabase({ dir: dbDir }), cleanup: async () => {} }];
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(5).toString('hex')}`;
    out.push({ name: 'postgres', env: { DATABASE_URL: url, DATABASE_SCHEMA: schema }, open: () => openDatabase({ url, schema }), cleanup: () => dropSchema(url, schema) });
  }
  return out;
}

for (const t of targets()) {
  describe(`import killed mid-write leaves nothing behind [${t.name}]`, () => {
    test('kill -9 during the write phase: no partial rows; the next run imports everything', { timeout: 240_000 }, async () => {
      const loc = await runCli(['location', 'add', 'S1', '--name', 'Store'], t.env);
      assert.equal(loc.code, 0, loc.stderr + loc.stdout);
      const p = await runCli(['import', 'products', join(dir, 'products.csv')], t.env);
      assert.equal(p.code, 0, p.stderr);
      const child = startCli(['import', 'sales', join(dir, 'sales.csv'), '--location', 'S1', '--allow-negative'], t.env);
      let err = '';
      const killed = await new Promise<boolean>((res) => {
        child.stderr!.on('data', (d) => {
          err += d;
          if (/sales write: \d+\/\d+/.test(err) && !child.killed) {
            child.kill('SIGKILL');
            res(true);
          }
        });
        child.on('close', () => res(false));
      });
      assert.ok(killed, `the import finished before it could be killed:\n${err}`);
      await new Promise((r) => child.on('close', r));
      const database = await t.open();
      try {
        const { db } = database;
        const n = async (table: 'stock_movements' | 'sales' | 'products' | 'imports') => Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
        assert.equal(await n('stock_movements'), 0);
        assert.equal(await n('sales'), 0);
        assert.equal(await n('imports'), 1, 'only the products import is recorded');
        assert.equal(await n('products'), N_SKU, 'the earlier import is intact');
      } finally {
        await database.close();
      }
      const again = await runCli(['import', 'sales', join(dir, 'sales.csv'), '--location', 'S1', '--allow-negative'], t.env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`imported ${N_ROWS} sales row`));
      await t.cleanup();
    });
  });
}

describe('CLI errors', () => {
  test('a bad file exits non-zero and names the lines', async () => {
    const env = { SHELFWISE_DB_DIR: join(dir, 'pglite-err'), DATABASE_URL: '' };
    writeFileSync(join(dir, 'bad.csv'), 'sku,name,price\nG1,Good,1\nB 1,Bad,1\nB2,Bad price,abc\n');
    const r = await runCli(['import', 'products', join(dir, 'bad.csv')], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 3: sku must not contain spaces/);
    assert.match(r.stderr, /line 4: price must be a number \(got "abc"\)/);
    assert.match(r.stderr, /2 bad row\(s\) .*nothing was written/);
    const k = await runCli(['import', 'widgets', join(dir, 'bad.csv')], env);
    assert.equal(k.code, 2);
    assert.match(k.stderr, /unknown kind "widgets"/);
  });
});
