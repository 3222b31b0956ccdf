import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateEvents, type DemographicEvent } from '../../../src/domain/vision/demographic-aggregation.ts';

const H = 3_600_000;
const base = Date.UTC(2026, 10, 20, 9, 0, 0);

function ev(hour: number, n: number, ageGroup: DemographicEvent['ageGroup'], gender: DemographicEvent['gender'], zone = 'A') {
  return Array.from({ length: n }, (_, i) => ({ at: base + hour * H + i * 1000, ageGroup, gender, zone }));
}

describe('demographic aggregation', () => {
  test('counts per hour × age group × gender, small counts suppressed', () => {
    const events = [...ev(0, 12, '20-29', 'female'), ...ev(0, 7, '30-44', 'male'), ...ev(0, 2, 'teen', 'male'), ...ev(0, 6, '60+', 'female')];
    const [w] = aggregateEvents(events, { windowMs: H, minCount: 5 });
    assert.equal(w.windowStart, base);
    assert.equal(w.total, 27);
    const cell = (a: string, g: string) => w.cells.find((c) => c.ageGroup === a && c.gender === g)!;
    assert.equal(cell('20-29', 'female').count, 12);
    assert.equal(cell('teen', 'male').count, null);
    assert.equal(cell('teen', 'male').suppressed, true);
    // only one primary suppression → the smallest other non-zero cell (60+ female, 6) is hidden too
    assert.equal(cell('60+', 'female').count, null);
    assert.equal(cell('30-44', 'male').count, 7);
    assert.equal(cell('child', 'female').count, 0);
    // the hidden value cannot be derived: shown cells + total leave two unknowns
    const shown = w.cells.reduce((a, c) => a + (c.count ?? 0), 0);
    assert.equal(w.total! - shown, 8);
  });

  test('a window with fewer than k visitors shows nothing', () => {
    const out = aggregateEvents([...ev(0, 3, '20-29', 'male'), ...ev(1, 9, '20-29', 'male')], { windowMs: H, minCount: 5 });
    assert.equal(out.length, 2);
    assert.equal(out[0].suppressed, true);
    assert.equal(out[0].total, null);
    assert.ok(out[0].cells.every((c) => c.count === null));
    assert.equal(out[1].total, 9);
    assert.equal(out[1].windowStart, base + H);
  });

  test('zone filter and local-time offset', () => {
    const events = [...ev(0, 5, 'child', 'female', 'A'), ...ev(0, 5, 'child', 'female', 'B')];
    assert.equal(aggregateEvents(events, { windowMs: H, zone: 'B' })[0].total, 5);
    // daily windows aligned to UTC+2 midnight
    const day = aggregateEvents(events, { windowMs: 24 * H, offsetMs: 2 * H });
    assert.equal(day[0].windowStart, Date.UTC(2026, 10, 19, 22, 0, 0));
  });
});
