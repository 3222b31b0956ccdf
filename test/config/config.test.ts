import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';

test('configuration errors name the variable: FORECAST_AT, PORT, DATABASE_SCHEMA', () => {
  assert.doesNotThrow(() => loadConfig({ FORECAST_AT: '23:15' }));
  assert.doesNotThrow(() => loadConfig({ FORECAST_AT: 'off' }));
  assert.throws(() => loadConfig({ FORECAST_AT: '25:00' }), /^Error: configuration: FORECAST_AT: expected HH:MM/);
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /configuration: PORT/);
  assert.throws(() => loadConfig({ DATABASE_SCHEMA: 'Bad-Name' }), /configuration: DATABASE_SCHEMA/);
});
