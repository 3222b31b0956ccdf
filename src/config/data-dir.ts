import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Folder with the public data sets (see ../shared/data/README.md). One setting: SHELFWISE_DATA. */
export function dataDir(): string {
  return resolve(process.env.SHELFWISE_DATA ?? '../shared/data');
}

/** Path of one data file, or null when the data folder (or that file) is missing. */
export function dataFile(...parts: string[]): string | null {
  const p = resolve(dataDir(), ...parts);
  return existsSync(p) ? p : null;
}
