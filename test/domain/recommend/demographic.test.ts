import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataFile } from '../../../src/config/data-dir.ts';
import { splitCsvLine } from '../../../src/domain/recommend/datasets.ts';
import {
  ageGroupOf,
  audienceFromName,
  fitsDemographic,
  forDemographic,
  seasonOf,
  type CatalogItem,
  type Demographic,
  type DemographicSale,
} from '../../../src/domain/recommend/demographic.ts';
import { rng } from '../../../src/domain/recommend/evaluate.ts';
import { DAY_MS } from '../../../src/domain/recommend/types.ts';

const NOW = Date.UTC(2025, 0, 15); // winter (northern)
const catalog: CatalogItem[] = [
  { item: 1, gender: 'Men', season: 'Winter' },
  { item: 2, gender: 'Women', season: 'Winter' },
  { item: 3, gender: 'Women', season: 'Summer' },
  { item: 4, gender: 'Boys' },
  { item: 5, gender: 'Girls' },
  { item: 6, gender: 'Unisex' },
  { item: 7, gender: 'Unisex', audience: 'kids' },
  { item: 8, gender: 'Women', season: 'Fall' },
];

describe('demographic recommendations', () => {
  test('hard filter by gender and age band', () => {
    const woman: Demographic = { gender: 'female', ageGroup: 'adult' };
    const boy: Demographic = { gender: 'male', ageGroup: 'child' };
    const ids = (d: Demographic) => forDemographic(d, catalog, [], { now: NOW, n: 20 }).map((r) => r.item).sort();
    assert.deepEqual(ids(woman), [2, 3, 6, 8]);
    assert.deepEqual(ids(boy), [4, 6, 7]);
    assert.deepEqual(ids({ gender: 'male', ageGroup: 'teen' }), [1, 4, 6, 7]);
    assert.deepEqual(ids({ gender: 'unknown', ageGroup: 'senior' }), [1, 2, 3, 6, 8]);
    assert.equal(ageGroupOf(8), 'child');
    assert.equal(ageGroupOf(70), 'senior');
    assert.equal(audienceFromName('Crocs Kids Navy Blue Clogs'), 'kids');
  });

  test('ranks by recent sales in the slice, then last year same season, then catalog season', () => {
    const sales: DemographicSale[] = [];
    // all shoppers: item 3 sold a lot recently; women (tagged) mostly bought item 8
    for (let k = 0; k < 40; k++) sales.push({ item: 3, time: NOW - 2 * DAY_MS });
    for (let k = 0; k < 200; k++) sales.push({ item: 8, time: NOW - 3 * DAY_MS, gender: 'female', ageGroup: 'adult' });
    const recs = forDemographic({ gender: 'female', ageGroup: 'adult' }, catalog, sales, { now: NOW, n: 4 });
    assert.equal(recs[0].item, 8);
    assert.equal(recs[0].reason, 'popular with women right now');
    // no recent sales: last January's bestseller wins, then the in-season item
    const lastYear = [{ item: 2, time: NOW - 365 * DAY_MS }, { item: 3, time: NOW - 180 * DAY_MS }];
    const r2 = forDemographic({ gender: 'female', ageGroup: 'adult' }, catalog, lastYear, { now: NOW, n: 4, halfLifeDays: 1 });
    assert.equal(r2[0].item, 2);
    assert.equal(r2[0].reason, 'popular around this time last year');
    const r3 = forDemographic({ gender: 'female', ageGroup: 'adult' }, catalog, [], { now: NOW, n: 4 });
    assert.equal(r3[0].item, 2);
    assert.equal(r3[0].reason, 'in season: winter');
    assert.equal(seasonOf(NOW), 'winter');
    assert.equal(seasonOf(NOW, true), 'summer');
  });

  test('never returns out-of-stock items', () => {
    const recs = forDemographic({ gender: 'female', ageGroup: 'adult' }, catalog, [], { now: NOW, n: 10, inStock: (i) => i !== 2 });
    assert.ok(!recs.some((r) => r.item === 2));
  });

  const file = dataFile('catalog', 'fashion_styles.csv');
  test('on the real fashion catalog, no slice ever sees the other gender', { skip: file ? false : 'catalog data missing (SHELFWISE_DATA)' }, () => {
    const lines = readFileSync(file!, 'utf8').split('\n').slice(1).filter(Boolean);
    const real: CatalogItem[] = lines.map((l) => {
      const f = splitCsvLine(l);
      return { item: Number(f[0]), gender: f[1], season: f[6], year: Number(f[7]) || undefined, audience: audienceFromName(f[9] ?? '') };
    });
    assert.ok(real.length > 40000);
    const r = rng(3);
    const sales: DemographicSale[] = Array.from({ length: 20000 }, () => ({ item: real[Math.floor(r() * real.length)].item, time: NOW - Math.floor(r() * 400) * DAY_MS }));
    const byId = new Map(real.map((c) => [c.item, c]));
    const forbidden: Record<string, string[]> = { male: ['women', 'girls'], female: ['men', 'boys'] };
    for (const gender of ['male', 'female'] as const)
      for (const ageGroup of ['child', 'teen', 'adult', 'senior'] as const) {
        const recs = forDemographic({ gender, ageGroup }, real, sales, { now: NOW, n: 200 });
        assert.equal(recs.length, 200);
        for (const x of recs) {
          const g = byId.get(x.item)!.gender.toLowerCase();
          assert.ok(!forbidden[gender].includes(g), `${gender}/${ageGroup} got a ${g} item`);
          if (ageGroup === 'adult') assert.ok(g !== 'boys' && g !== 'girls' && !(g === 'unisex' && byId.get(x.item)!.audience === 'kids'), `adult got ${g} ${x.item}`);
          if (ageGroup === 'child') assert.ok(g !== 'men' && g !== 'women', `child got ${g}`);
          assert.ok(fitsDemographic(byId.get(x.item)!, { gender, ageGroup }), `${x.item} does not fit ${gender}/${ageGroup}`);
        }
      }
  });
});
