import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { classifyPhoto } from '../services/inspection-classifier.ts';
import { purgeExpiredPhotos } from '../services/inspection-photos.ts';
import { qualityReport, supplierQuality } from '../services/inspection-quality.service.ts';
import { inspectionServiceOf, MAX_PHOTO_BYTES } from '../services/inspection.service.ts';
import { progressBar } from './progress.ts';
import { cliActor, withServices } from './run.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

function positiveInt(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new AppError('invalid', `${field} must be a positive whole number`, field);
  return Number(v);
}

function readImage(file: string): Buffer {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch (e) {
    throw new AppError('not_found', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'photo');
  }
  if (b.byteLength > MAX_PHOTO_BYTES) throw new AppError('invalid', `${file} is larger than ${MAX_PHOTO_BYTES / 1048576} MB`, 'photo');
  return b;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)} %`);
const regionText = (r: { x: number; y: number; w: number; h: number } | null | undefined) =>
  r ? ` region x ${pct(r.x)} y ${pct(r.y)} ${pct(r.w)}×${pct(r.h)}` : '';

/** `shelfwise inspect`: defect inspection at receiving (docs/inspection.md). */
export function inspectCommand(program: Command) {
  const cmd = program.command('inspect').description('defect inspection at receiving: classify photos, inspect a receipt, quarantine, supplier quality (docs/inspection.md)');

  cmd
    .command('photo <files...>')
    .description('classify photos (defective or not, p, confidence, region); with --batch record them as inspections of an open batch')
    .option('--batch <id>', 'record each photo in this open inspection batch (the model call; decide with `inspect decide`)')
    .option('--json', 'print JSON')
    .action(async (files: string[], o: { batch?: string; json?: boolean }) => {
      const batch = positiveInt(o.batch, 'batch');
      const images = files.map((f) => ({ file: f, bytes: readImage(f) }));
      const out: unknown[] = [];
      const show = (file: string, m: { defective: boolean; pDefective: number; confidence: number; region: { x: number; y: number; w: number; h: number } | null; ms: number }, id?: number) => {
        if (o.json) return out.push({ file, ...(id ? { inspection: id } : {}), ...m });
        console.log(`${file}: ${m.defective ? 'DEFECTIVE' : 'defect-free'} p=${m.pDefective.toFixed(3)} confidence ${pct(m.confidence)}${regionText(m.region)} (${m.ms} ms)${id ? `  inspection #${id}` : ''}`);
      };
      if (batch === undefined) for (const i of images) show(i.file, classifyPhoto(i.bytes));
      else
        await withServices(async (s) => {
          for (const i of images) {
            const r = await inspectionServiceOf(s).inspectPhoto(cliActor(), batch, i.bytes);
            show(i.file, r.model!, r.id);
          }
        });
      if (o.json) console.log(JSON.stringify(out, null, 2));
    });

  cmd
    .command('receipt')
    .description('inspect a receipt in one go: open a batch, classify each --photo, take the model calls as the final calls unless overridden, close it')
    .requiredOption('--supplier <code>', 'supplier code')
    .requiredOption('--sku <sku>', 'product received')
    .requiredOption('--location <code>', 'where good units go')
    .requiredOption('--qty <n>', 'units received')
    .option('--sample <n>', 'inspect n of the units (default: the store setting)')
    .option('--accept <c>', 'with --sample: reject the lot when more than c sampled units are defective', '0')
    .option('--all', 'inspect every unit (overrides the store setting)')
    .option('--po <id>', 'purchase order id')
    .option('--po-line <id>', 'purchase order line id')
    .option('--ref <text>', 'delivery note or other reference')
    .option('--photo <file>', 'photo of one inspected unit (repeatable)', collect, [])
    .option('--defective <file>', 'override: this photo is defective whatever the model says (repeatable)', collect, [])
    .option('--good <file>', 'override: this photo is defect-free whatever the model says (repeatable)', collect, [])
    .option('--no-close', 'leave the batch open (e.g. more photos follow from the dashboard)')
    .option('--json', 'print the batch as JSON')
    .action(async (o: { supplier: string; sku: string; location: string; qty: string; sample?: string; accept: string; all?: boolean; po?: string; poLine?: string; ref?: string; photo: string[]; defective: string[]; good: string[]; close: boolean; json?: boolean }) => {
      const qty = positiveInt(o.qty, 'qty')!;
      const n = positiveInt(o.sample, 'sample');
      if (!/^\d+$/.test(o.accept)) throw new AppError('invalid', 'accept must be a whole number ≥ 0', 'accept');
      const known = new Set(o.photo.map((f) => resolve(f)));
      for (const f of [...o.defective, ...o.good]) if (!known.has(resolve(f))) throw new AppError('invalid', `${f} is not one of the --photo files`, 'photo');
      const images = o.photo.map((f) => ({ file: f, bytes: readImage(f) }));
      const override = (f: string) => (o.defective.some((d) => resolve(d) === resolve(f)) ? true : o.good.some((g) => resolve(g) === resolve(f)) ? false : null);
      await withServices(async (s) => {
        const svc = inspectionServiceOf(s);
        const actor = cliActor();
        const b = await svc.openBatch(actor, {
          supplier: o.supplier,
          sku: o.sku,
          location: o.location,
          qty,
          sampling: o.all ? { mode: 'all' } : n ? { mode: 'sample', n, acceptMax: Number(o.accept) } : undefined,
          poId: positiveInt(o.po, 'po'),
          poLineId: positiveInt(o.poLine, 'po-line'),
          reference: o.ref,
        });
        if (images.length > b.sampleSize) throw new AppError('invalid', `${images.length} photos for a sample of ${b.sampleSize} (batch ${b.id} stays open)`, 'photo');
        const bar = progressBar('inspect');
        try {
          for (const [k, i] of images.entries()) {
            const r = await svc.inspectPhoto(actor, b.id, i.bytes);
            const human = override(i.file);
            await svc.decide(actor, r.id, { defective: human ?? r.model!.defective, note: human === null ? 'model call confirmed at the CLI' : `override at the CLI (${i.file})` });
            if (!o.json) console.log(`${i.file}: model ${r.model!.defective ? 'DEFECTIVE' : 'defect-free'} p=${r.model!.pDefective.toFixed(3)} (${r.model!.ms} ms)${human !== null && human !== r.model!.defective ? ` → overridden: ${human ? 'DEFECTIVE' : 'defect-free'}` : ''}`);
            bar.update({ phase: 'photos', done: k + 1, total: images.length });
          }
        } finally {
          bar.stop();
        }
        const done = o.close && images.length === b.sampleSize ? await svc.close(actor, b.id) : await svc.getBatch(b.id);
        if (o.json) return console.log(JSON.stringify(done, null, 2));
        console.log(`batch ${b.id}: ${o.sku} from ${o.supplier}, ${qty} received, plan ${b.plan === 'all' ? 'inspect all' : `${b.sampleSize} of ${qty}, accept ≤ ${b.acceptMax}`}, ${images.length}/${b.sampleSize} inspected`);
        if (done.status === 'closed')
          console.log(`closed: ${done.goodQty} into ${done.location}, ${done.defectiveQty} into quarantine ${done.quarantineLocation}${done.lotRejected ? ' (lot rejected)' : ''}`);
        else console.log(`open: ${b.sampleSize - images.length} more unit(s) to inspect (dashboard /receiving or \`inspect photo --batch ${b.id}\`), then \`inspect close ${b.id}\``);
      });
    });

  cmd
    .command('decide <inspection>')
    .description("the human's final call on an inspected unit (confirm or override the model)")
    .option('--defective', 'the unit is defective')
    .option('--good', 'the unit is defect-free')
    .option('--note <text>', 'why')
    .action(async (id: string, o: { defective?: boolean; good?: boolean; note?: string }) => {
      if (!!o.defective === !!o.good) throw new AppError('invalid', 'give exactly one of --defective or --good', 'defective');
      await withServices(async (s) => {
        const r = await inspectionServiceOf(s).decide(cliActor(), positiveInt(id, 'inspection')!, { defective: !!o.defective, note: o.note });
        console.log(`inspection #${r.id}: final ${r.final!.defective ? 'DEFECTIVE' : 'defect-free'}${r.overridden ? ' (overrides the model)' : ''}`);
      });
    });

  cmd
    .command('close <batch>')
    .description('close a batch: good units into the location, defective ones into quarantine')
    .action(async (id: string) => {
      await withServices(async (s) => {
        const b = await inspectionServiceOf(s).close(cliActor(), positiveInt(id, 'batch')!);
        console.log(`batch ${b.id} closed: ${b.goodQty} into ${b.location}, ${b.defectiveQty} into ${b.quarantineLocation}${b.lotRejected ? ' (lot rejected)' : ''}`);
      });
    });

  cmd
    .command('dispose <batch>')
    .description('units leave quarantine: --return (to the supplier, with a credit-note line) or --write-off')
    .option('--return', 'return to the supplier')
    .option('--write-off', 'write off')
    .requiredOption('--qty <n>', 'units')
    .option('--reason <text>', 'why')
    .action(async (id: string, o: { return?: boolean; writeOff?: boolean; qty: string; reason?: string }) => {
      if (!!o.return === !!o.writeOff) throw new AppError('invalid', 'give exactly one of --return or --write-off', 'action');
      await withServices(async (s) => {
        const r = await inspectionServiceOf(s).dispose(cliActor(), positiveInt(id, 'batch')!, { action: o.return ? 'return_to_supplier' : 'write_off', qty: positiveInt(o.qty, 'qty')!, reason: o.reason });
        console.log(`movement #${r.movement.id}: ${r.movement.kind} ${r.movement.qty} at ${r.movement.location}${r.credit ? `; credit-note line #${r.credit.id}: ${r.credit.qty} × ${r.credit.unitCost} = ${r.credit.amount}` : ''}`);
      });
    });

  cmd
    .command('list')
    .description('inspection batches, newest first')
    .option('--open', 'only open batches')
    .option('--quarantined', 'only batches with units still in quarantine')
    .option('--supplier <code>', 'one supplier')
    .option('--json', 'print JSON')
    .action(async (o: { open?: boolean; quarantined?: boolean; supplier?: string; json?: boolean }) => {
      await withServices(async (s) => {
        const items = await inspectionServiceOf(s).listBatches({ status: o.open ? 'open' : undefined, quarantined: o.quarantined, supplier: o.supplier, limit: 200 });
        if (o.json) return console.log(JSON.stringify(items, null, 2));
        for (const b of items)
          console.log(`#${b.id} ${b.status.padEnd(6)} ${b.supplier} ${b.sku} ×${b.qtyReceived} → ${b.location}: ${b.inspected}/${b.sampleSize} inspected, ${b.defectiveCalls} defective${b.status === 'closed' ? `; ${b.goodQty} good, ${b.inQuarantine} in quarantine` : ''}`);
        if (!items.length) console.log('no inspection batches');
      });
    });

  cmd
    .command('quality')
    .description('defect rate per supplier (alert window, all time) and per supplier × product')
    .option('--supplier <code>', 'one supplier')
    .option('--weeks <n>', 'period of the product table', '26')
    .option('--json', 'print JSON')
    .action(async (o: { supplier?: string; weeks: string; json?: boolean }) => {
      const weeks = positiveInt(o.weeks, 'weeks')!;
      await withServices(async (s) => {
        const db = s.database.db;
        const codes = o.supplier ? [o.supplier] : (await s.catalog.listSuppliers()).map((x: { code: string }) => x.code);
        const sup = await Promise.all(codes.map((c) => supplierQuality(db, c)));
        const rep = await qualityReport(db, { supplier: o.supplier, weeks });
        if (o.json) return console.log(JSON.stringify({ suppliers: sup, products: rep.products }, null, 2));
        for (const q of sup)
          console.log(`${q.supplier.padEnd(12)} last ${q.windowDays} d: ${pct(q.window.rate)} of ${q.window.inspected} (95 % ${pct(q.window.low)}–${pct(q.window.high)}); all time ${pct(q.allTime.rate)} of ${q.allTime.inspected}${q.aboveThreshold ? `  ABOVE ${pct(q.threshold)}` : ''}`);
        if (rep.products.length) console.log(`\nby product, last ${weeks} weeks:`);
        for (const p of rep.products) console.log(`  ${p.supplier} ${p.sku}: ${p.defective}/${p.inspected} defective (${pct(p.rate)}), ${p.overridden} model call(s) overridden, ${p.quarantined}/${p.received} units quarantined`);
      });
    });

  cmd
    .command('purge-photos')
    .description('delete kept inspection photos past their retention period (the server does this hourly); --all deletes every kept photo')
    .option('--all', 'delete every kept photo now')
    .action(async (o: { all?: boolean }) => {
      await withServices(async (s) => {
        const n = await purgeExpiredPhotos(s.database.db, o.all ? new Date(8.64e15) : new Date());
        console.log(`${n} photo(s) deleted`);
      });
    });
}
