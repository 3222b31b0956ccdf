/**
 * Readers for the shared evaluation sets (labels only; images are read by the caller, in memory).
 * Paths come from dataDir() (SHELFWISE_DATA or ../shared/data); null when a set is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from '../config/data-dir.ts';

export interface UtkFaceRow {
  file: string;
  path: string;
  age: number;
  gender: 'male' | 'female';
  race: number;
}

export const UTK_RACES = ['White', 'Black', 'Asian', 'Indian', 'Other'] as const;

function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
}

export function loadUtkFace(): UtkFaceRow[] | null {
  const labels = dataFile('faces', 'utkface', 'labels.csv');
  if (!labels) return null;
  const dir = join(labels, '..');
  const [head, ...rows] = readCsv(labels);
  const col = (n: string) => head.indexOf(n);
  return rows.map((r) => ({
    file: r[col('file')],
    path: join(dir, r[col('file')]),
    age: Number(r[col('age')]),
    gender: r[col('gender')] === 'male' ? 'male' : 'female',
    race: Number(r[col('race')]),
  }));
}

export interface TildaRow {
  file: string;
  path: string;
  defective: boolean;
  split: string;
  source: string;
  fabric: string;
  /** Source TILDA and fabric ≠ c2r3 (the fair subset, see the data README). */
  fair: boolean;
}

export function loadTildaStain(): TildaRow[] | null {
  const labels = dataFile('defects', 'tilda_stain', 'labels.csv');
  if (!labels) return null;
  const dir = join(labels, '..');
  const [head, ...rows] = readCsv(labels);
  const col = (n: string) => head.indexOf(n);
  return rows.map((r) => {
    const source = r[col('source')];
    const fabric = r[col('tilda_fabric')];
    return {
      file: r[col('file')],
      path: join(dir, r[col('file')]),
      defective: r[col('label')] !== 'defect_free',
      split: r[col('split')],
      source,
      fabric,
      fair: source === 'TILDA' && fabric !== 'c2r3',
    };
  });
}
