import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { startWorker, type Worker } from '../../src/jobs/index.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { runImportJob } from '../../src/services/import-jobs.ts';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';

describeEachDb('imports API (background jobs)', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  let worker: Worker;
  before(async () => {
    h = await apiHarness(get());
    await new CatalogService(get().db).createLocation(SYSTEM, { code: 'S1', name: 'Store', kind: 'store' });
    worker = startWorker(h.services, { pollMs: 20 });
  });
  after(async () => {
    await worker?.stop();
  });

  const send = async (query: string, name: string, content: string | Uint8Array, role: 'manager' | 'staff' = 'manager') => {
    const form = new FormData();
    form.append('file', new File([typeof content === 'string' ? content : new Uint8Array(content)], name));
    const res = await h.app.request(`/api/imports?${query}`, { method: 'POST', headers: { authorization: `Bearer ${h.tokens[role]}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  const finished = async (jobId: number) => {
    for (let i = 0; i < 600; i++) {
      const j = await h.call('GET', `/api/jobs/${jobId}`, { role: 'manager' });
      if (['done', 'failed', 'cancelled'].includes(j.body.status)) return j.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`job ${jobId} did not finish`);
  };
  const count = async (t: 'products' | 'stock_movements' | 'import_uploads') => Number((await get().db.selectFrom(t).select(get().db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('a products CSV uploaded by a manager is imported by a job, with progress and its result; the upload is deleted', async () => {
    const r = await send('kind=products', 'catalog.csv', 'sku,name,price,category\nP1,First,3.5,Mugs\nP2,Second,4,Mugs\n');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.url, `/api/jobs/${r.body.jobId}`);
    const job = await finished(r.body.jobId);
    assert.equal(job.status, 'done', job.error);
    assert.equal(job.type, 'import.run');
    assert.deepEqual([job.result.written, job.result.committed, job.result.badCount, job.result.file], [2, true, 0, 'catalog.csv']);
    assert.equal(job.progress.total > 0, true, 'progress was reported');
    const p = await get().db.selectFrom('products').select(['sku', 'price']).orderBy('sku').execute();
    assert.deepEqual(p.map((x) => [x.sku, Number(x.price)]), [['P1', 3.5], ['P2', 4]]);
    assert.equal(await count('import_uploads'), 0);
    const list = await h.call('GET', '/api/imports', { role: 'manager' });
    assert.equal(list.body.items[0].jobId, r.body.jobId);
    assert.equal(list.body.items[0].file, 'catalog.csv');
  });

  test('an XLSX of stock counts; bad rows are reported with their lines and nothing is written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('stock');
    ws.addRow(['sku', 'qty']);
    ws.addRow(['P1', 12]);
    ws.addRow(['P2', 5]);
    const ok = await send('kind=stock&location=S1', 'counts.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    assert.equal((await finished(ok.body.jobId)).result.written, 2);
    const movements = await count('stock_movements');
    const bad = await send('kind=sales', 'sales.csv', 'date,sku,qty,store\n2026-01-05,P1,2,S1\nnot-a-date,P1,1,S1\n2026-01-06,NOPE,1,S1\n');
    const job = await finished(bad.body.jobId);
    assert.equal(job.status, 'done');
    assert.equal(job.result.committed, false);
    assert.deepEqual(job.result.bad.map((b: { line: number }) => b.line), [3, 4]);
    assert.match(job.result.bad[1].reason, /NOPE/);
    assert.equal(await count('stock_movements'), movements, 'all or nothing');
  });

  test('a retried job whose import had committed imports nothing twice', async () => {
    // Sales without an order reference have nothing else to deduplicate them: only the job id does.
    const r = await send('kind=sales', 'till.csv', 'date,sku,qty,store\n2026-01-07,P1,1,S1\n2026-01-07,P2,1,S1\n');
    const job = await finished(r.body.jobId);
    assert.equal(job.result.written, 2);
    const movements = await count('stock_movements');
    // The worker died after the commit, before marking the job done: the next attempt runs the handler again.
    const again = await runImportJob(get().db, r.body.jobId, job.payload, async () => {});
    assert.equal(again.resumed, true);
    assert.equal(await count('stock_movements'), movements);
  });

  test('refusals: staff 403, no kind 400, wrong format 400, empty 400; an unknown store is a bad row', async () => {
    assert.equal((await send('kind=products', 'a.csv', 'sku,name\n', 'staff')).status, 403);
    const noKind = await send('', 'a.csv', 'sku,name\n');
    assert.equal(noKind.status, 400);
    assert.equal(noKind.body.field, 'kind');
    const pdf = await send('kind=products', 'a.pdf', '%PDF');
    assert.equal(pdf.status, 400);
    assert.equal(pdf.body.field, 'file');
    assert.match(pdf.body.error, /\.csv or \.xlsx/);
    const empty = await send('kind=products', 'a.csv', '');
    assert.equal(empty.status, 400);
    const raw = await h.call('POST', '/api/imports?kind=products', { role: 'manager', raw: 'sku,name\n' });
    assert.equal(raw.status, 400);
    assert.equal(raw.body.field, 'fileName');
    const nowhere = await send('kind=stock&location=NOWHERE', 'c.csv', 'sku,qty\nP1,3\n');
    const job = await finished(nowhere.body.jobId);
    assert.equal(job.status, 'done');
    assert.equal(job.result.committed, false);
    assert.match(JSON.stringify(job.result.bad), /NOWHERE/);
  });
});
