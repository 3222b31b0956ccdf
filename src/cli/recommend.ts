import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ageGroupOf, type AgeGroup, type Gender } from '../domain/recommend/demographic.ts';
import { parseMovieLens } from '../domain/recommend/datasets.ts';
import { evaluateRatings, evaluateRetail, type RetailEvalResult } from '../domain/recommend/evaluation-runs.ts';
import type { Interaction } from '../domain/recommend/types.ts';
import { AppError } from '../errors.ts';
import { validSalesRows } from '../services/import/sales-file.ts';
import { setRecommendSettings, type RecommendSettings } from '../services/recommend-models.service.ts';
import { RatingsService } from '../services/recommend-ratings.service.ts';
import { recommendServiceOf, type RecommendedItem } from '../services/recommend.service.ts';
import { progressBar } from './progress.ts';
import { cliActor, withServices } from './run.ts';

function int(v: string | undefined, field: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new AppError('invalid', `${field} must be a whole number from ${min} to ${max}`, field);
  return Number(v);
}
function weight(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new AppError('invalid', `${field} must be a number from 0 to 1`, field);
  return n;
}
const COLLAB = ['auto', 'ease', 'ials', 'ease+ials', 'item-knn'];

function printItems(items: RecommendedItem[], json?: boolean) {
  if (json) return console.log(JSON.stringify(items, null, 2));
  if (items.length === 0) return console.log('(nothing in stock to recommend)');
  items.forEach((r, k) => console.log(`${String(k + 1).padStart(2)}. ${r.sku.padEnd(14)} ${r.name.slice(0, 44).padEnd(44)} ${String(r.available).padStart(6)} avail  ${r.reason}`));
}

/** `shelfwise recommend …`: train, show, evaluate (docs/recommendations.md). */
export function recommendCommand(program: Command) {
  const cmd = program.command('recommend').description('recommendations: train the models, show them for a customer / item / demographic, evaluate (docs/recommendations.md)');

  cmd
    .command('train')
    .description('train on the store\'s customer sales and ratings, store the new version (the server picks it up)')
    .option('--evaluate', 'also score a hold-out of the last --test-days (about doubles the time)')
    .option('--test-days <d>', 'hold-out window in days', '30')
    .option('--collaborative <model>', `${COLLAB.join('|')} (default: the setting, auto = by catalog size)`)
    .action(async (o: { evaluate?: boolean; testDays?: string; collaborative?: string }) => {
      if (o.collaborative && !COLLAB.includes(o.collaborative)) throw new AppError('invalid', `collaborative must be one of ${COLLAB.join(', ')}`, 'collaborative');
      const testDays = int(o.testDays, 'test-days', 1, 365);
      await withServices(async (s) => {
        const bar = progressBar('recommend');
        try {
          const { finished } = await recommendServiceOf(s).train({
            actor: cliActor(),
            evaluate: !!o.evaluate,
            testDays,
            collaborative: o.collaborative as RecommendSettings['collaborative'] | undefined,
            onProgress: (p) => bar.update({ phase: p.phase, done: Math.round(p.fraction * 100), total: 100 }),
          });
          const r = await finished;
          bar.stop();
          const m = r.metrics!;
          console.log(`model ${r.id}: ${m.customers} customers, ${m.items} items, ${m.interactions} order lines, ${m.ratings} ratings, ${m.collaborative}; ` + `read ${m.seconds.read} s, train ${m.seconds.train} s, total ${m.seconds.total} s, ${(m.bytes / 1e6).toFixed(1)} MB`);
          if (m.evaluation) console.log(`hold-out: ${JSON.stringify(m.evaluation)}`);
        } finally {
          bar.stop();
        }
      });
    });

  cmd
    .command('models')
    .description('list model versions with their metrics')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      withServices(async (s) => {
        const items = await recommendServiceOf(s).models.list(20);
        if (o.json) return console.log(JSON.stringify(items, null, 2));
        for (const m of items) {
          const ev = m.metrics?.evaluation && 'ndcg10' in m.metrics.evaluation ? ` NDCG@10 ${m.metrics.evaluation.ndcg10.auto}` : '';
          console.log(`${String(m.id).padStart(4)} ${m.status.padEnd(8)} ${m.trainedAt?.toISOString() ?? m.startedAt.toISOString()} ${m.metrics ? `${m.metrics.customers} customers, ${m.metrics.items} items, ${m.metrics.seconds.total} s` : m.error ?? m.phase}${ev}`);
        }
      }),
    );

  const where = (c: Command) => c.option('--location <code>', 'only what is available at this location').option('--limit <n>', 'how many', '10').option('--json', 'print JSON');

  where(cmd.command('customer <code>').description('top-N for a customer (code or id), with reasons')).action(async (code: string, o: { location?: string; limit?: string; json?: boolean }) =>
    withServices(async (s) => {
      const db = s.database.db;
      const c = (await db.selectFrom('customers').select('id').where('code', '=', code).executeTakeFirst()) ?? (/^\d+$/.test(code) ? await db.selectFrom('customers').select('id').where('id', '=', Number(code)).executeTakeFirst() : undefined);
      if (!c) throw new AppError('not_found', `customer ${code} does not exist`, 'customer');
      printItems(await recommendServiceOf(s).forCustomer(c.id, { location: o.location, limit: int(o.limit, 'limit', 1, 100) }), o.json);
    }),
  );

  where(cmd.command('item <sku>').description('frequently bought together and similar items'))
    .option('--kind <kind>', 'together|similar|both', 'both')
    .action(async (sku: string, o: { location?: string; limit?: string; json?: boolean; kind: string }) =>
      withServices(async (s) => {
        if (!['together', 'similar', 'both'].includes(o.kind)) throw new AppError('invalid', 'kind must be together, similar or both', 'kind');
        if (!(await s.database.db.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirst())) throw new AppError('not_found', `product ${sku} does not exist`, 'sku');
        printItems(await recommendServiceOf(s).forItem(sku, { location: o.location, limit: int(o.limit, 'limit', 1, 100), kind: o.kind as 'both' }), o.json);
      }),
    );

  where(cmd.command('demographic').description('for an anonymous shopper: --gender male|female|unknown --age <years or child|teen|adult|senior>'))
    .requiredOption('--gender <g>', 'male|female|unknown')
    .requiredOption('--age <age>', 'years, or child|teen|adult|senior|unknown')
    .action(async (o: { location?: string; limit?: string; json?: boolean; gender: string; age: string }) => {
      if (!['male', 'female', 'unknown'].includes(o.gender)) throw new AppError('invalid', 'gender must be male, female or unknown', 'gender');
      const ageGroup = (/^\d+$/.test(o.age) ? ageGroupOf(Number(o.age)) : o.age) as AgeGroup;
      if (!['child', 'teen', 'adult', 'senior', 'unknown'].includes(ageGroup)) throw new AppError('invalid', 'age must be years or child, teen, adult, senior, unknown', 'age');
      await withServices(async (s) => printItems(await recommendServiceOf(s).forDemographic({ gender: o.gender as Gender, ageGroup, location: o.location, limit: int(o.limit, 'limit', 1, 100) }), o.json));
    });

  cmd
    .command('rate <customer> <sku> <rating>')
    .description('record a customer\'s 1-5 rating of a product')
    .action(async (customer: string, sku: string, rating: string) =>
      withServices(async (s) => {
        const n = Number(rating);
        const r = await new RatingsService(s.database.db, recommendServiceOf(s)).rate(cliActor(), { customer, sku, rating: n });
        console.log(`${r.customer} rated ${r.sku} ${r.rating}`);
      }),
    );

  cmd
    .command('settings')
    .description('show or change the overstock/slow-mover boost weight, the promotion weight (0..1) and the collaborative model')
    .option('--boost-weight <w>', '0 (off) .. 1')
    .option('--promotion-weight <w>', '0 (ignore promotions) .. 1')
    .option('--collaborative <model>', COLLAB.join('|'))
    .action(async (o: { boostWeight?: string; promotionWeight?: string; collaborative?: string }) =>
      withServices(async (s) => {
        const r = await setRecommendSettings(s.database.db, cliActor(), {
          boostWeight: weight(o.boostWeight, 'boost-weight'),
          promotionWeight: weight(o.promotionWeight, 'promotion-weight'),
          collaborative: o.collaborative as RecommendSettings['collaborative'] | undefined,
        });
        console.log(JSON.stringify(r));
      }),
    );

  cmd
    .command('eval')
    .alias('evaluate')
    .description('train on all but the last --test-days and score the models on the rest (the store\'s ledger, or --transactions FILE)')
    .option('--transactions <file>', 'a sales CSV/XLSX in the import format with customer and order columns')
    .option('--test-days <d>', 'days held out', '30')
    .option('--json', 'print one JSON object')
    .action(async (o: { transactions?: string; testDays?: string; json?: boolean }) => {
      const testDays = int(o.testDays, 'test-days', 1, 3650)!;
      const events = o.transactions ? await interactionsFromFile(o.transactions) : await withServices(async (s) => (await recommendServiceOf(s).models.readTrainingInput({ testDays, collaborative: 'auto' })).input.events);
      const list: Interaction[] = Array.isArray(events) ? events : Array.from({ length: events.user.length }, (_, k) => ({ user: events.user[k], item: events.item[k], weight: events.weight[k], time: events.time[k], basket: events.basket?.[k] }));
      const t0 = performance.now();
      const r = evaluateRetail(list, { testDays });
      printEval(r, (performance.now() - t0) / 1000, o.json);
    });

  cmd
    .command('rating-eval')
    .description('k-fold RMSE / MAE of Funk-SVD on explicit ratings (MovieLens u.data or a CSV user,item,rating)')
    .requiredOption('--ratings <file>', 'ratings file')
    .option('--format <f>', 'movielens|csv', 'movielens')
    .option('--folds <k>', 'folds', '5')
    .option('--json', 'print one JSON object')
    .action(async (o: { ratings: string; format: string; folds?: string; json?: boolean }) => {
      const folds = int(o.folds, 'folds', 2, 20)!;
      if (!['movielens', 'csv'].includes(o.format)) throw new AppError('invalid', 'format must be movielens or csv', 'format');
      const text = await readFile(o.ratings, 'utf8').catch(() => {
        throw new AppError('not_found', `cannot read ${o.ratings}`, 'ratings');
      });
      const r = o.format === 'movielens' ? parseMovieLens(text) : parseRatingsCsv(text);
      if (r.rating.length < folds) throw new AppError('invalid', `only ${r.rating.length} ratings`, 'ratings');
      const out = evaluateRatings(r, { folds, clocks: { wall: () => performance.now() / 1000 } });
      const res = { rmse: round(out.rmse), mae: round(out.mae), fit_seconds_per_fold: round(out.fit_seconds_per_fold ?? NaN), baseline: { rmse: round(out.baseline.rmse) }, folds: out.folds };
      if (o.json) return console.log(JSON.stringify(res));
      console.log(`Funk-SVD ${folds}-fold: RMSE ${res.rmse}, MAE ${res.mae} (global mean RMSE ${res.baseline.rmse}); fit ${res.fit_seconds_per_fold} s per fold`);
    });
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null);

function printEval(r: RetailEvalResult, seconds: number, json?: boolean) {
  const pick = (m: Record<string, Record<string, number>>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Object.fromEntries(['ndcg@10', 'recall@20', 'map@12', 'hr@10', 'coverage@10'].map((x) => [x, round(v[x])]))]));
  const out = { users: r.users, items: r.items, cutoff: r.cutoff, models: pick(r.models as never), new_items: pick(r.new_items as never), fbt: { 'hr@10': round(r.fbt['hr@10']), mrr: round(r.fbt.mrr), cases: r.fbt.cases }, fbt_popularity: { 'hr@10': round(r.fbt_popularity['hr@10']) }, seconds: round(seconds) };
  if (json) return console.log(JSON.stringify(out));
  console.log(`${out.users} returning customers, ${out.items} items, test from ${out.cutoff} (${out.seconds} s)`);
  console.log(`${'model'.padEnd(20)} ${'NDCG@10'.padStart(8)} ${'HR@10'.padStart(7)} ${'rec@20'.padStart(7)} ${'MAP@12'.padStart(7)} ${'new NDCG'.padStart(9)}`);
  for (const [k, v] of Object.entries(out.models))
    console.log(`${k.padEnd(20)} ${String(v['ndcg@10']).padStart(8)} ${String(v['hr@10']).padStart(7)} ${String(v['recall@20']).padStart(7)} ${String(v['map@12']).padStart(7)} ${String(out.new_items[k]?.['ndcg@10'] ?? '-').padStart(9)}`);
  console.log(`frequently bought together HR@10 ${out.fbt['hr@10']} (popularity ${out.fbt_popularity['hr@10']}), MRR ${out.fbt.mrr}, ${out.fbt.cases} baskets`);
}

/** Sales file → interactions: one per positive line with a customer; basket = order (or customer × day). */
async function interactionsFromFile(file: string): Promise<Interaction[]> {
  const ids = new Map<string, number>();
  const id = (ns: string, k: string) => {
    const key = `${ns}\u0000${k}`;
    let v = ids.get(key);
    if (v === undefined) ids.set(key, (v = ids.size + 1));
    return v;
  };
  const out: Interaction[] = [];
  const sales = validSalesRows(file);
  for await (const r of sales.rows) {
    if (!r.customer || r.qty <= 0) continue;
    const t = r.date.getTime();
    out.push({ user: id('c', r.customer), item: id('i', r.sku), weight: 1, time: t, basket: id('o', r.order ?? `${r.customer}@${t}`) });
  }
  const bad = sales.skipped();
  if (bad) process.stderr.write(`${bad} rows were not valid sales rows and were left out\n`);
  if (out.length === 0) throw new AppError('invalid', `no sales rows with a customer in ${file}`, 'transactions');
  return out;
}

function parseRatingsCsv(text: string) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0].toLowerCase().split(',').map((x) => x.trim());
  const [ui, ii, ri] = ['user', 'item', 'rating'].map((k) => head.findIndex((h) => h === k || h === `${k}_id` || h === `${k}id`));
  if (ui < 0 || ii < 0 || ri < 0) throw new AppError('invalid', 'the CSV needs user, item and rating columns', 'ratings');
  const ids = new Map<string, number>();
  const id = (k: string) => ids.get(k) ?? (ids.set(k, ids.size + 1), ids.size);
  const user: number[] = [];
  const item: number[] = [];
  const rating: number[] = [];
  for (const l of lines.slice(1)) {
    const f = l.split(',');
    const r = Number(f[ri]);
    if (!Number.isFinite(r)) continue;
    user.push(id(`u${f[ui].trim()}`));
    item.push(id(`i${f[ii].trim()}`));
    rating.push(r);
  }
  return { user, item, rating };
}
