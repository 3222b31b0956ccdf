import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { dropSchema } from '../../src/db/connection.ts';
import { runCli } from '../helpers/cli.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';

const dir = mkdtempSync(join(tmpdir(), 'sw-integ-cli-'));
const targets: { name: string; env: Record<string, string>; cleanup(): Promise<void> }[] = [{ name: 'pglite', env: { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '' }, cleanup: async () => {} }];
if (process.env.DATABASE_URL) {
  const schema = `t_${randomBytes(5).toString('hex')}`;
  targets.push({ name: 'postgres', env: { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema }, cleanup: () => dropSchema(process.env.DATABASE_URL!, schema) });
}

for (const t of targets) {
  describe(`integrations CLI [${t.name}]`, () => {
    after(() => t.cleanup());
    test('webhook add/deliveries/replay, worker --max-jobs, source add, reconcile dry run and --apply; bad input exits non-zero', { timeout: 480_000 }, async () => {
      const SECRET = 'whsec_cli_0123456789abcdef';
      const rx = await startReceiver(SECRET);
      try {
        const env = { ...t.env, WEBHOOK_BACKOFF_MS: '50' };
        const run = async (...args: string[]) => {
          const r = await runCli(args, env);
          assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
          return r.stdout;
        };
        await run('location', 'add', 'S1', '--name', 'Store');
        writeFileSync(join(dir, 'p.csv'), 'sku,name,price\nMUG,Mug,8\n');
        await run('import', 'products', join(dir, 'p.csv'));
        const bad = await runCli(['webhook', 'add', rx.url, '--event', 'stock.moved'], env);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /unknown event stock\.moved/);
        assert.match(await run('webhook', 'add', rx.url, '--event', 'stock.changed', '--secret', SECRET), /webhook 1: .* for stock\.changed/);
        writeFileSync(join(dir, 'levels.csv'), 'sku,location,available\nMUG,S1,5\n');
        assert.match(await run('reconcile', '--file', join(dir, 'levels.csv')), /1 levels compared, 1 differ \(dry run/);
        const noReason = await runCli(['reconcile', '--file', join(dir, 'levels.csv'), '--apply'], env);
        assert.equal(noReason.code, 2);
        assert.match(await run('reconcile', '--file', join(dir, 'levels.csv'), '--apply', '--reason', 'opening count'), /posted 1 adjustments/);
        assert.match(await run('worker', '--max-jobs', '1', '--poll', '50'), /stopped: 1 done/);
        assert.equal(rx.accepted.length, 1);
        assert.equal(rx.accepted[0].type, 'stock.changed');
        const log = await run('webhook', 'deliveries');
        assert.match(log, /^1 stock\.changed .* delivered \(1 attempts, HTTP 204\)/m);
        assert.match(await run('webhook', 'replay', '1'), /delivery 2 queued \(replay of 1/);
        await run('worker', '--max-jobs', '1', '--poll', '50');
        assert.equal(rx.accepted.length, 2);
        assert.match(await run('source', 'add', 'shop', '--kind', 'shopify', '--location', 'S1', '--map-item', '123=MUG'), /webhook URL: <server>\/api\/integrations\/incoming\/shop/);
      } finally {
        await rx.close();
      }
    });
  });
}
