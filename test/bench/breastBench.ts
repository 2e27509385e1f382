import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { decodeJpeg8Bit } from '../../main/imaging/codecs/libjpegTurbo.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { resizeBilinear } from '../../main/imaging/resample.js';
import { findBreast } from '../../main/inference/breastRegion.js';
import { SHARED_DATA, SHARED_MIAS } from '../helpers/paths.js';
import { syntheticFilm } from '../helpers/syntheticFilm.js';
import { round } from './benchUtil.js';

/** A CBIS-DDSM film at about its scanned size (portrait). */
const FILM = { rows: 4800, columns: 3000 };
const CBIS = `${SHARED_DATA}cbis-ddsm-mass/train/`;
/** Films with a lead marker, a date label, a printed label on a band joined to the breast, and a plain one. */
const CBIS_FILMS = ['01383_LEFT_CC', '00046_RIGHT_MLO', '00637_RIGHT_CC', '01355_LEFT_MLO', '00001_LEFT_CC'];
const MIAS_IMAGES = ['mdb001', 'mdb002', 'mdb003'];

interface Image {
  display: Uint8Array;
  rows: number;
  columns: number;
}

/**
 * findBreast's time per image (it dominates building training samples and is part of each study's
 * analysis): on a generated 3000 x 4800 film (always) and, where the shared data is present, on
 * CBIS-DDSM films rescaled to that size (the 800 x 800 copies, squashed from about it, stretched
 * back) and on mini-MIAS images (1024 x 1024). Per set, the mean wall and CPU milliseconds per
 * image after one untimed call (compilation); the machine may be shared, so CPU time is the
 * steadier figure.
 */
export async function breastBench(): Promise<Record<string, unknown>> {
  const generated = syntheticFilm(FILM);
  const sets: Record<string, Image[]> = { generatedFilm: [generated] };
  if (existsSync(CBIS)) {
    sets.cbisFilms = [];
    for (const name of CBIS_FILMS) {
      const frame = await decodeJpeg8Bit(new Uint8Array(await readFile(`${CBIS}${name}.jpg`)));
      const squashed = frame.samples as Uint8Array;
      sets.cbisFilms.push({
        display: resizeBilinear(squashed, frame.height, frame.width, FILM.rows, FILM.columns),
        ...FILM,
      });
    }
  }
  if (existsSync(SHARED_MIAS)) {
    sets.miniMias = [];
    for (const name of MIAS_IMAGES)
      sets.miniMias.push(await decodeImageFile(`${SHARED_MIAS}images/${name}.png`));
  }
  findBreast(generated.display, generated.rows, generated.columns);
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const result: Record<string, unknown> = {};
  for (const [name, images] of Object.entries(sets)) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const { display, rows, columns } of images) {
      const cpuAtStart = process.cpuUsage();
      const start = performance.now();
      findBreast(display, rows, columns);
      wall.push(performance.now() - start);
      const used = process.cpuUsage(cpuAtStart);
      cpu.push((used.user + used.system) / 1000);
    }
    result[name] = {
      images: images.length,
      size: `${images[0]!.columns}x${images[0]!.rows}`,
      wallMsPerImage: round(mean(wall)),
      cpuMsPerImage: round(mean(cpu)),
    };
  }
  if (!sets.cbisFilms) result.cbisFilms = { skipped: true, reason: `data directory not found: ${CBIS}` };
  return result;
}
