#!/usr/bin/env node
// Builds the dashboard (web/ → web/dist) when web/dist is missing or older than its sources.
// `npm start` runs it first (prestart) and `npm test` before browser tests, so a fresh clone needs no extra step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const newest = (p) => (!existsSync(p) ? 0 : statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((n) => newest(join(p, n)))) : statSync(p).mtimeMs);

export function buildWebIfStale() {
  const dist = join('web', 'dist', 'index.html');
  const src = Math.max(newest(join('web', 'src')), newest(join('web', 'index.html')), newest(join('web', 'vite.config.ts')));
  if (existsSync(dist) && statSync(dist).mtimeMs >= src) return 0;
  const t0 = Date.now();
  const b = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], { stdio: 'inherit' });
  if (b.status !== 0) return b.status ?? 1;
  console.error(`built the dashboard (web/dist) in ${Date.now() - t0} ms`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(buildWebIfStale());
