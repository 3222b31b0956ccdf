import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDb } from '../helpers/db.ts';
import { seedClothingStore, STORE } from '../helpers/kiosk.ts';
import { createServices } from '../../src/services/index.ts';
import { KioskSession } from '../../src/services/kiosk-session.ts';
import type { FaceResult } from '../../src/vision/face-analyzer.ts';

const face = (headScore?: number, pMale = 0.3): FaceResult => ({
  box: { x: 10, y: 10, width: 100, height: 100 },
  detectionScore: 0.9,
  ageYears: 8,
  ageGroup: 'child',
  gender: pMale >= 0.5 ? 'male' : 'female',
  pMale,
  genderConfidence: Math.max(pMale, 1 - pMale),
  ageConfidence: 0.8,
  ...(headScore === undefined ? {} : { headScore }),
});

describeEachDb('kiosk session: the gender head score is kept per visitor only', (get) => {
  test('first score of a person is reused while they stay, dropped when they leave', async () => {
    await seedClothingStore(get());
    let now = 1_000_000;
    const s = new KioskSession(createServices(get()), STORE, null, () => now);
    assert.equal(s.headScore, undefined);
    await s.onFaces(1, [face(1.25)], now);
    assert.equal(s.headScore, 1.25);
    now += 250;
    // later frames of the same person: the analyzer echoes the passed score; a different one is not taken
    await s.onFaces(2, [face(-3)], now);
    assert.equal(s.headScore, 1.25);
    now += 250;
    await s.onFaces(3, [], now);
    assert.equal(s.headScore, 1.25, 'one empty frame does not end the person');
    now += 2500;
    await s.onFaces(4, [], now);
    assert.equal(s.headScore, undefined, 'gone for 2 s: the number is dropped');
    now += 250;
    await s.onFaces(5, [face(-0.5)], now);
    assert.equal(s.headScore, -0.5, 'a new person gets their own score');
    await s.close();
  });
});
