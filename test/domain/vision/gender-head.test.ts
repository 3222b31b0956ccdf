import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyGenderHead, applyGenderHeadWithScore, descriptorScore, DESCRIPTOR_DIM, fitGenderHead, headApplies, headFeatureVector,
  type HeadInputs,
} from '../../../src/domain/vision/gender-head.ts';
import { mulberry32 } from '../../../src/domain/vision/metrics.ts';
import { wilson } from '../../../src/domain/vision/metrics.ts';

/** Synthetic faces: the net's p(male) is informative for adults only; descriptor dim 3 carries the sex for all. */
function synth(n: number, seed: number) {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const rows: HeadInputs[] = [];
  const male: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const m = rnd() < 0.5;
    const age = rnd() < 0.4 ? 1 + rnd() * 11 : 20 + rnd() * 50;
    const child = age < 13;
    const z = (m ? 1 : -1) * (child ? 0.1 : 3) + gauss();
    const d = new Float32Array(DESCRIPTOR_DIM);
    for (let j = 0; j < DESCRIPTOR_DIM; j++) d[j] = 0.1 * gauss();
    d[3] += m ? 0.12 : -0.12;
    rows.push({ pMaleRaw: 1 / (1 + Math.exp(-z)), ageRaw: age, descriptor: d });
    male.push(m);
  }
  return { rows, male };
}

const acc = (p: number[], m: boolean[]) => p.filter((v, i) => (v >= 0.5) === m[i]).length / p.length;

test('a descriptor head gated to young faces beats the net on held-out children, and leaves adults alone', () => {
  const tr = synth(1200, 1);
  const te = synth(1200, 2);
  const head = fitGenderHead(['descriptor', 'logit', 'logAge'], 13, tr.rows, tr.male, 3);
  const kids = te.rows.map((r, i) => i).filter((i) => te.rows[i].ageRaw < 13);
  const net = kids.map((i) => te.rows[i].pMaleRaw);
  const withHead = kids.map((i) => applyGenderHead(head, te.rows[i]));
  const truth = kids.map((i) => te.male[i]);
  assert.ok(acc(withHead, truth) > acc(net, truth) + 0.15, `head ${acc(withHead, truth)} vs net ${acc(net, truth)}`);
  assert.equal(headApplies(head, 12.9), true);
  assert.equal(headApplies(head, 13), false);
});

test('the descriptor enters only through its one-number score (what the kiosk caches)', () => {
  const tr = synth(600, 3);
  const head = fitGenderHead(['descriptor', 'logit', 'logAge'], null, tr.rows, tr.male, 1);
  for (const r of synth(20, 4).rows) {
    const s = descriptorScore(head, r.descriptor!);
    assert.ok(Math.abs(applyGenderHeadWithScore(head, r, s) - applyGenderHead(head, r)) < 1e-9);
  }
  assert.throws(() => applyGenderHead(head, { pMaleRaw: 0.5, ageRaw: 5 }), /descriptor missing/);
  assert.equal(headFeatureVector(['logit', 'logAge'], { pMaleRaw: 0.5, ageRaw: 0 }).join(), '0,0');
  // a head without the descriptor scores 0 for it
  const small = fitGenderHead(['logit'], null, tr.rows, tr.male, 1);
  assert.equal(descriptorScore(small, tr.rows[0].descriptor!), 0);
});

test('Wilson interval', () => {
  const w = wilson(900, 1000);
  assert.ok(Math.abs(w.lo - 0.8797) < 1e-3 && Math.abs(w.hi - 0.9178) < 1e-3, JSON.stringify(w));
  const z = wilson(0, 10);
  assert.equal(z.lo, 0);
  assert.ok(z.hi > 0.25 && z.hi < 0.35);
});
