/**
 * Experiment E12 (models/EXPERIMENTS.md): do ImageNet-derived features carry lesion signal on
 * mini-MIAS? Runs a pretrained MobileNetV2 (the one the npm package nsfwjs 4.4.0 ships, MIT: its
 * layers up to block 13 are ImageNet-trained, then fine-tuned on photographs) over every image once
 * and keeps a feature grid per image: block 6 (stride 8, 192 channels) averaged down to block 13's
 * stride-16 grid and concatenated with it (576 channels), 768 per cell.
 *
 *   npm pack nsfwjs@4.4.0 && tar xzf nsfwjs-4.4.0.tgz
 *   npx tsx scripts/encoderProbe/cacheEncoderFeatures.ts --weights package/dist/models/mobilenet_v2 \
 *     --out .scratch-experiments/probe/cache [--down 1|2|4]
 *
 * --down: input pixels per MIAS pixel (0.2 mm); 2 gives 0.4 mm per input pixel, 6.4 mm cells.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../main/common/atomicWrite.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';
import { parseMiasAnnotations } from '../../main/studies/mias/miasAnnotations.js';
import { featureFileName, writeFeatureGrid } from './featureGrid.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const LAYERS = ['block_6_expand_relu', 'block_13_expand_relu'];
const { values } = parseArgs({
  options: { weights: { type: 'string' }, out: { type: 'string' }, down: { type: 'string', default: '2' } },
});
if (!values.weights || !values.out) throw new Error('--weights and --out are required');
const down = Number(values.down);
mkdirSync(values.out, { recursive: true });

await selectBackend();
// The package ships its Keras model as UMD modules: the topology as an object, the uint8-quantised
// weights as one base64 string.
const require = createRequire(import.meta.url);
const topology = require(resolve(values.weights, 'model.min.js')) as {
  modelTopology: object;
  weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
};
const shard = Buffer.from(require(resolve(values.weights, 'group1-shard1of1.min.js')) as string, 'base64');
const full = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: topology.modelTopology,
    weightSpecs: topology.weightsManifest[0]!.weights,
    weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength),
  }),
);

// The saved model is fixed at 224 x 224: rebuild its graph on an input of any size, layer by
// layer in topological order, up to the layers we read.
const input = tf.input({ shape: [null, null, 3] });
const built = new Map<string, tf.SymbolicTensor>([[full.layers[0]!.name, input]]);
for (const layer of full.layers.slice(1)) {
  if (LAYERS.every((name) => built.has(name))) break;
  const inbound = layer.inboundNodes[0]!.inboundLayers.map((l) => built.get(l.name)!);
  built.set(layer.name, layer.apply(inbound.length === 1 ? inbound[0]! : inbound) as tf.SymbolicTensor);
}
const extractor = tf.model({ inputs: input, outputs: LAYERS.map((name) => built.get(name)!) });

const records = parseMiasAnnotations(readFileSync(join(MIAS, 'annotations.csv'), 'utf8'));
const started = performance.now();
let done = 0;
for (const refnum of [...records.keys()].sort()) {
  const file = join(values.out, featureFileName(refnum, down));
  if (existsSync(file)) continue;
  const image = await decodeImageFile(join(MIAS, 'images', `${refnum}.png`));
  const grid = tf.tidy(() => {
    // nsfwjs feeds [0, 1] RGB; a grey scan is repeated in the three channels.
    const scan = tf.tensor4d(image.display, [1, image.rows, image.columns, 1], 'float32').div(255);
    const rgb = tf.tile(tf.avgPool(scan as tf.Tensor4D, down, down, 'valid'), [1, 1, 1, 3]);
    const outputs = extractor.predict(rgb) as tf.Tensor4D[];
    const coarsest = outputs[outputs.length - 1]!.shape[1];
    return tf.concat(
      outputs.map((o) =>
        o.shape[1] > coarsest ? tf.avgPool(o, o.shape[1] / coarsest, o.shape[1] / coarsest, 'valid') : o,
      ),
      3,
    );
  });
  writeFileAtomic(file, writeFeatureGrid(grid.shape[1]!, grid.shape[2]!, grid.shape[3]!, await grid.data()));
  grid.dispose();
  if (++done % 20 === 0)
    console.error(`${done} images, ${((performance.now() - started) / done / 1000).toFixed(2)} s/image`);
}
console.error(`${done} images in ${((performance.now() - started) / 1000).toFixed(0)} s`);
