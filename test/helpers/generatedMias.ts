/**
 * Mini-MIAS-style folders of generated films, for tests that need chosen abnormality classes on
 * chosen patients (the fixture's six films have one calcification, without a circle).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { patientSplit } from '../../main/training/patientSplit.js';
import { syntheticFilm } from './syntheticFilm.js';

/** The generated films' size. */
const FILM = Object.freeze({ rows: 160, columns: 128 });

/** mini-MIAS patient k holds mdb(2k-1) (right) and mdb(2k) (left). */
const refnum = (n: number) => `mdb${String(n).padStart(3, '0')}`;
const patientOf = (k: number) => `MIAS-${String(k).padStart(3, '0')}`;

/** The first `count` mini-MIAS patient numbers the fixed split puts in `split`. */
export function patientsIn(split: 'train' | 'validation', count: number): number[] {
  const found: number[] = [];
  for (let k = 1; found.length < count; k++) if (patientSplit(patientOf(k)) === split) found.push(k);
  return found;
}

/**
 * A mini-MIAS-style folder of generated films: each image's case-list row is its `abnormalityClass`
 * (NORM, or a lesion class with a circle inside the breast, MIAS's y counted from the bottom).
 */
export function generatedMiasFolder(dir: string, images: { n: number; abnormalityClass: string }[]): string {
  const { rows: ROWS, columns: COLUMNS } = FILM;
  mkdirSync(join(dir, 'images'));
  const rows = ['refnum,tissue,class,severity,x,y,radius'];
  for (const { n, abnormalityClass } of images) {
    const film = syntheticFilm({ rows: ROWS, columns: COLUMNS, seed: n });
    writeFileSync(
      join(dir, 'images', `${refnum(n)}.png`),
      encode({ width: COLUMNS, height: ROWS, data: film.display, channels: 1, depth: 8 }),
    );
    rows.push(
      abnormalityClass === 'NORM'
        ? `${refnum(n)},F,NORM,,,,`
        : `${refnum(n)},F,${abnormalityClass},B,35,${ROWS - 80},9`,
    );
  }
  writeFileSync(join(dir, 'annotations.csv'), `${rows.join('\n')}\n`);
  return dir;
}
