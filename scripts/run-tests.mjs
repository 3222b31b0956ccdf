#!/usr/bin/env node
// Runs every test file under test/ with node's own test runner (through tsx for TypeScript).
// Node 20's `--test` does not expand globs, so the files are collected here.
// Usage: npm test [-- <substring filter>...]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { buildWebIfStale } from './build-web.mjs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
// Longest first (the CLI files spawn a process per command; the browser files start chromium): with two files
// at a time, a long file started last would run alone at the end.
const slowFirst = (f) => (f.includes(join('test', 'cli')) ? 0 : f.includes(join('test', 'e2e')) ? 1 : 2);
const files = walk('test')
  .sort((a, b) => slowFirst(a) - slowFirst(b) || a.localeCompare(b))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Browser tests serve web/dist: build it once here when it is missing or stale (only when an e2e file is
// selected and chromium is there; otherwise those tests skip themselves).
if (files.some((f) => f.includes(join('test', 'e2e'))) && existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  const status = buildWebIfStale();
  if (status !== 0) process.exit(status);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
