/**
 * Floor (issue 2): recording sales through the API ≥ 1,000 movements/s on PGlite and ≥ 3,000/s on
 * PostgreSQL with 16 concurrent clients, with the ledger balanced afterwards.
 * The server runs in its own process; autocannon drives 16 connections posting sales of 1 line and of 10 lines.
 * Run: npx tsx bench/api-sales.bench.ts   (with DATABASE_URL set, PostgreSQL too)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { dropSchema } from '../src/db/connection.ts';
import { fmt, startServer } from './helpers.ts';

const SKUS = 500;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function run(name: string, env: Record<string, string>) {
  const srv = await startServer(env);
  await srv.call('POST', '/api/locations', { code: 'B1', name: 'Bench store', kind: 'store' });
  for (let i = 0; i < SKUS; i++) await srv.call('POST', '/api/products', { sku: `B${i}`, name: `Bench ${i}`, price: 5 });
  await srv.call('POST', '/api/movements', { lines: Array.from({ length: SKUS }, (_, i) => ({ sku: `B${i}`, location: 'B1', kind: 'receipt', qty: 5_000_000 })) });
  for (const linesPerSale of [1, 10]) {
    let n = 0;
    const result = await autocannon({
      url: `${srv.base}/api/sales`,
      connections: 16,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' },
          setupRequest: (req: any) => {
            const lines = Array.from({ length: linesPerSale }, () => ({ sku: `B${(n = (n * 1103515245 + 12345) % 2147483648) % SKUS}`, qty: 1 + (n % 3) }));
            return { ...req, body: JSON.stringify({ location: 'B1', lines }) };
          },
        },
      ],
    });
    const ok = result['2xx'];
    const bad = result.non2xx;
    const check = await srv.call('GET', '/api/ledger/check');
    console.log(
      `${name}  ${linesPerSale}-line sales, 16 clients: ${fmt(ok / SECONDS)} sales/s = ${fmt((ok * linesPerSale) / SECONDS)} movements/s; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; errors ${bad}; ledger balanced: ${check.balanced}`,
    );
  }
  await srv.stop();
}

await run('PGlite', { SHELFWISE_DB_DIR: join(mkdtempSync(join(tmpdir(), 'sw-bench-api-')), 'db'), DATABASE_URL: '' });
if (process.env.DATABASE_URL) {
  const schema = `bench_api_${Date.now()}`;
  await run('PostgreSQL', { DATABASE_SCHEMA: schema });
  await dropSchema(process.env.DATABASE_URL, schema);
}
