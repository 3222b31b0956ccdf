import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataFile } from '../../../src/config/data-dir.ts';
import { parseOnlineRetail } from '../../../src/domain/recommend/datasets.ts';
import { evaluateRetail } from '../../../src/domain/recommend/evaluation-runs.ts';

const file = dataFile('retail', 'online_retail_2010_2011.csv');

describe('Online Retail (real data, reduced)', () => {
  test('buy-again and the blend beat popularity on the last 30 days', { skip: file ? false : 'retail data missing (SHELFWISE_DATA)' }, () => {
    const ds = parseOnlineRetail(readFileSync(file!, 'utf8'));
    assert.ok(ds.skipped.cancelled > 9000, 'cancellation invoices (C...) are dropped');
    assert.ok(ds.interactions.every((e) => e.weight === 1));
    // a third of the customers keeps the test quick; item-kNN as the collaborative part (no dense inverse)
    const events = ds.interactions.filter((e) => e.user % 3 === 0);
    const r = evaluateRetail(events, { testDays: 30, components: ['popularity', 'buy-again', 'auto'], recommender: { collaborative: 'item-knn' } });
    assert.ok(r.users > 300, `${r.users} returning customers`);
    const pop = r.models.popularity['ndcg@10'];
    assert.ok(r.models.buy_again['ndcg@10'] > 3 * pop, `buy-again ${r.models.buy_again['ndcg@10']} vs popularity ${pop}`);
    assert.ok(r.models.auto['ndcg@10'] >= r.models.buy_again['ndcg@10'] - 0.01);
    assert.ok(r.new_items.auto['ndcg@10'] > 1.5 * r.new_items.popularity['ndcg@10']);
    assert.ok(r.fbt['hr@10'] > 4 * r.fbt_popularity['hr@10'], `fbt ${r.fbt['hr@10']} vs ${r.fbt_popularity['hr@10']}`);
  });
});
