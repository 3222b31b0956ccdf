import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learnLifts, type Spell } from '../../../src/domain/placement/lift.ts';
import { diffPlans } from '../../../src/domain/placement/moves.ts';
import { buildUnits, unitKeyOf, type PlacementProduct } from '../../../src/domain/placement/units.ts';
import { buildProblem, objectiveOf, type ValueZone, type VisitorCounts } from '../../../src/domain/placement/value.ts';

const zones: ValueZone[] = [
  { code: 'WIN', kind: 'window', lift: 2, capacity: 2, busyHours: [18, 19] },
  { code: 'WALL', kind: 'wall', lift: 1, capacity: 10, busyHours: [] },
];

const product = (id: number, over: Partial<PlacementProduct> = {}): PlacementProduct => ({
  id, sku: `S${id}`, name: `P${id}`, category: 'Apparel', subcategory: 'Topwear', articleType: 'Shirts', styleCode: null, gender: 'men', season: 'Summer', demand: 10, margin: 5, recommended: 0, ...over,
});

test('category blocks: one unit per article type × gender, size from SKUs per facing, demand-weighted margin', () => {
  const units = buildUnits(
    [product(1), product(2, { demand: 30, margin: 9 }), product(3, { gender: 'women', articleType: 'Tops' }), product(4, { gender: 'women', articleType: 'Tops' })],
    { granularity: 'article_type', splitByGender: true, keepTogether: 'none', skusPerFacing: 2 },
  );
  assert.deepEqual(units.map((u) => [u.key, u.size, u.demand]), [['Shirts · men', 1, 40], ['Tops · women', 1, 20]]);
  assert.equal(units[0].margin, (10 * 5 + 30 * 9) / 40);
  assert.equal(unitKeyOf(product(9), { granularity: 'sku', splitByGender: false }), 'S9');
});

test('value: forecast is taken at the current zone, lift, recommendation and seasonal rules apply', () => {
  const p = buildProblem(
    zones,
    [
      { key: 'a', size: 1, demand: 20, margin: 2, recFrequency: 1, segment: null, attrs: { season: 'Winter' }, current: 'WIN', pinned: null },
      { key: 'b', size: 1, demand: 10, margin: 2, recFrequency: 0, segment: null, attrs: { season: 'Summer' }, current: null, pinned: 'WALL' },
    ],
    { recommend: 0.5, demographic: 0, offFloorLift: 0.1 },
    [{ months: [6, 7, 8], field: 'season', value: 'winter', zones: ['wall'], boost: 0.5 }],
    null,
    7,
  );
  // a: base = 20 / 2 (sold from the window) × 1.5 (recommended) × 0.5 (off season) = 7.5 units at lift 1
  assert.deepEqual(Array.from(p.units[0].values), [7.5 * 2 * 2, 7.5 * 1 * 2]);
  assert.deepEqual(p.units[0].allowed, [1]);
  assert.equal(p.units[1].pinned, 1);
  assert.equal(objectiveOf(p, [1, 1]), 15 + 20);
  const d = diffPlans(p, ['a', 'b'], [0, 1], [1, 1]);
  assert.equal(d.moves.length, 1);
  assert.deepEqual([d.moves[0].from, d.moves[0].to, d.moves[0].uplift], ['WIN', 'WALL', 15 - 30]);
});

test('demographics: a zone busy when women shop lifts women\'s lines there and lowers men\'s', () => {
  const v: VisitorCounts = { 'male-adult': new Array(24).fill(10), 'female-adult': new Array(24).fill(10), 'male-kids': new Array(24).fill(0), 'female-kids': new Array(24).fill(0) };
  v['female-adult'][18] = v['female-adult'][19] = 30;
  const mk = (key: string, segment: 'male-adult' | 'female-adult') => ({ key, size: 1, demand: 10, margin: 1, recFrequency: 0, segment, attrs: {}, current: null, pinned: null });
  const p = buildProblem(zones, [mk('w', 'female-adult'), mk('m', 'male-adult')], { recommend: 0, demographic: 1, offFloorLift: 0 }, [], v, 1);
  assert.ok(p.units[0].values[0] > 20 && p.units[1].values[0] < 20, `${p.units[0].values[0]} ${p.units[1].values[0]}`);
  assert.equal(p.units[0].values[1], 10); // the wall is busy all day: no skew
});

test('lift learning: recovers a zone twice as good from before/after moves, with shrinking uncertainty', () => {
  const spells: Spell[] = [];
  for (let u = 0; u < 40; u++) {
    const rate = 1 + (u % 5);
    spells.push({ unit: `u${u}`, zone: 'WALL', days: 30, sold: Math.round(rate * 1 * 30) });
    spells.push({ unit: `u${u}`, zone: 'WIN', days: 30, sold: Math.round(rate * 2 * 30) });
  }
  const priors = new Map([['WIN', 1], ['WALL', 1]]);
  const few = learnLifts(spells.slice(0, 4), priors);
  const many = learnLifts(spells, priors);
  const ratio = (e: typeof many) => e.find((x) => x.zone === 'WIN')!.lift / e.find((x) => x.zone === 'WALL')!.lift;
  assert.ok(Math.abs(ratio(many) - 2) < 0.05, `ratio ${ratio(many)}`);
  assert.ok(many[0].sd < few[0].sd);
  // a unit seen in one zone only says nothing about lifts: priors stay
  const none = learnLifts([{ unit: 'x', zone: 'WIN', days: 10, sold: 100 }], priors);
  assert.deepEqual(none.map((e) => e.lift), [1, 1]);
});
