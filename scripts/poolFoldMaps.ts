/**
 * Pools a cross-validation: from each fold's map cache (scripts/cacheMiasMaps.ts, one model per
 * development fold k, trained without fold k), keeps the training-split images of fold k, so every
 * training image is mapped by a model that never saw its patient. The result has the cache format;
 * its 'train' split in scripts/compareImageScores.ts is then the pooled out-of-fold estimate.
 *
 *   npx tsx scripts/poolFoldMaps.ts --out POOLED.json FOLD0.json FOLD1.json FOLD2.json FOLD3.json
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../main/common/atomicWrite.js';
import { DEVELOPMENT_FOLDS } from '../main/training/patientSplit.js';

interface Cache {
  model: string;
  gridMm: number;
  images: { split: string; devFold: number }[];
}

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length !== DEVELOPMENT_FOLDS)
  throw new Error(`--out and one map cache per fold (${DEVELOPMENT_FOLDS}, fold 0 first) are required`);
const caches = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Cache);
const images = caches.flatMap((cache, fold) =>
  cache.images.filter((i) => i.split === 'train' && i.devFold === fold),
);
writeFileAtomic(
  values.out,
  JSON.stringify({
    model: `out-of-fold: ${caches.map((c) => c.model).join(', ')}`,
    gridMm: caches[0]!.gridMm,
    images,
  }),
);
console.error(`${images.length} training images, each mapped by the model that held out its fold`);
