import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFile } from '../../../src/config/data-dir.ts';
import { buildPanel } from '../../../src/domain/markdown/elasticity-panel.ts';
import { fitElasticities } from '../../../src/domain/markdown/elasticity.ts';
import { holdoutScore } from '../../../src/domain/markdown/elasticity-validate.ts';
import { toEpochDay } from '../../../src/domain/reports/dates.ts';
import { categoryOfDescription, loadRetailLines } from '../../../bench/markdown-data.ts';
import { panelRows, weeklyPanels } from '../../../bench/markdown-elasticity.ts';

// Real-data regression checks on UCI Online Retail (the full figures are in bench/markdown.bench.ts).
const file = dataFile('retail', 'online_retail_2010_2011.csv');

test('Online Retail: tier confound, plausible elasticities, and a hold-out gain over no price effect', { skip: file ? false : 'retail/online_retail_2010_2011.csv not found under SHELFWISE_DATA' }, () => {
  const r = loadRetailLines(file!);
  assert.ok(r.n > 500_000 && r.skus.length > 3_900, `${r.n} lines, ${r.skus.length} SKUs`);
  const cats = r.descriptions.map(categoryOfDescription);
  const w = weeklyPanels(r);
  // 85123A sells at 2.95 in small lines and 2.55 from 32 up: the index must sit at the base tier (within 1 %).
  const k = r.skus.indexOf('85123A');
  const mid = Math.floor((toEpochDay('2011-06-15') - w.week0) / 7);
  assert.ok(Math.abs(w.index[k * w.nWeeks + mid] - 2.95) < 0.03, `85123A index ${w.index[k * w.nWeeks + mid]}`);
  assert.ok(w.tierDiscount[k] < -0.1);

  const adjusted = fitElasticities(buildPanel(panelRows(w, r.skus, cats, 'index')), { tau: 0.3 });
  const naive = fitElasticities(buildPanel(panelRows(w, r.skus, cats, 'paid')), { tau: 0.3 });
  assert.ok(adjusted.global.pooled < -0.9 && adjusted.global.pooled > -2, `adjusted pooled ${adjusted.global.pooled}`);
  assert.ok(naive.global.pooled < adjusted.global.pooled - 0.4, `naive ${naive.global.pooled} vs adjusted ${adjusted.global.pooled}`);

  const cut = Math.floor((toEpochDay('2011-09-01') - w.week0) / 7);
  const fit = fitElasticities(buildPanel(panelRows(w, r.skus, cats, 'index', 0, cut)), { tau: 0.3 });
  const test = panelRows(w, r.skus, cats, 'index', cut);
  const base = holdoutScore(fit, test, 'none', () => 0);
  const eb = holdoutScore(fit, test, 'eb', (i) => i.shrunk);
  assert.ok(eb.mseChanged < 0.9 * base.mseChanged, `price-changed MSE ${eb.mseChanged} vs ${base.mseChanged}`);
  assert.ok(eb.mse < base.mse);
});
