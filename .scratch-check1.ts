import { tf } from '/work/main/main/ml/backend/tf.js';
import { selectBackend } from '/work/main/main/ml/backend/selectBackend.js';
import { useFastConv2DBackpropInput } from '/work/main/main/ml/kernels/register.js';

const sel = await selectBackend({ prefer: 'wasm', logger: { warn: (m) => console.log('WARN', m), info: (m) => console.log('INFO', m) } });
console.log(sel.reason);
function rand(shape: number[]) { return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.random() * 2 - 1), shape); }
type Pad = 'same' | 'valid';
async function cmp(name: string, f: () => tf.Tensor) {
  await tf.setBackend('cpu'); const ref = f(); const refV = ref.dataSync();
  await tf.setBackend('wasm'); const out = f(); const outV = out.dataSync();
  let maxErr = 0, maxRef = 0;
  if (out.shape.join() !== ref.shape.join()) throw new Error(`${name}: shape ${out.shape} vs ${ref.shape}`);
  for (let i = 0; i < refV.length; i++) { maxErr = Math.max(maxErr, Math.abs(refV[i]! - outV[i]!)); maxRef = Math.max(maxRef, Math.abs(refV[i]!)); }
  const rel = maxErr / Math.max(1, maxRef);
  console.log((rel < 1e-4 ? 'ok  ' : 'FAIL'), name, 'maxErr', maxErr.toExponential(2), 'rel', rel.toExponential(2));
  tf.dispose([ref, out]);
}
for (const [N, H, W, ci, co, k, s, pad] of [
  [1, 7, 7, 3, 4, 3, 1, 'same'], [2, 9, 8, 3, 5, 3, 2, 'same'], [2, 11, 10, 2, 3, 3, 3, 'valid'], [1, 10, 13, 4, 2, 4, 2, 'same'],
  [3, 8, 8, 5, 4, 4, 1, 'same'], [2, 13, 7, 3, 3, 5, 3, 'same'], [1, 6, 6, 1, 8, 3, 2, 'valid'], [2, 5, 5, 2, 2, 1, 1, 'valid'], [1, 12, 12, 3, 4, 2, 3, 'same'], [1,9,9,2,2,4,2,'valid'],
] as [number, number, number, number, number, number, number, Pad][]) {
  const x = rand([N, H, W, ci]); const w = rand([k, k, ci, co]);
  await tf.setBackend('cpu');
  const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad);
  const dy = rand(y.shape);
  const tag = `N${N} ${H}x${W} ci${ci} co${co} k${k} s${s} ${pad}`;
  await cmp('dW ' + tag, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [s, s], pad, dataFormat: 'NHWC', filterShape: [k, k, ci, co] }) as tf.Tensor);
  await cmp('dX ' + tag, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: [s, s], pad, dataFormat: 'NHWC', inputShape: [N, H, W, ci] }) as tf.Tensor);
}
// explicit
{
  const x = rand([2, 9, 10, 3]); const w = rand([3, 3, 3, 4]);
  const pad = [[0, 0], [2, 1], [0, 2], [0, 0]] as tf.backend_util.ExplicitPadding;
  await tf.setBackend('cpu'); const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, pad); const dy = rand(y.shape);
  await cmp('dW explicit', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [2, 2], pad, dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }) as tf.Tensor);
  await cmp('dX explicit', () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: [2, 2], pad, dataFormat: 'NHWC', inputShape: [2, 9, 10, 3] }) as tf.Tensor);
}
await tf.setBackend('wasm');
const before = tf.memory().numTensors;
function time(name: string, f: () => tf.Tensor, n = 3) { f().dispose(); const t = performance.now(); for (let i = 0; i < n; i++) { const r = f(); r.dataSync(); r.dispose(); } const ms = (performance.now() - t) / n; console.log(name, ms.toFixed(1), 'ms'); return ms; }
for (const [N, H, C, k, s] of [[4, 160, 32, 4, 2], [1, 160, 64, 4, 2], [4, 80, 64, 4, 2], [4,160,32,4,1]]) {
  const dy = tf.randomUniform([N, H / s, H / s, C]) as tf.Tensor4D; const w = tf.randomUniform([k, k, C, C]) as tf.Tensor4D;
  const f = () => tf.conv2dTranspose(dy, w, [N, H, H, C], s, 'same');
  const fast = time(`tconv fast N${N} ${H} C${C} k${k} s${s}`, f);
  useFastConv2DBackpropInput(false);
  const slow = time(`tconv builtin`, f, 1);
  useFastConv2DBackpropInput(true);
  const fwd = time('fwd conv same size', () => tf.conv2d(tf.randomUniform([N, H / s, H / s, C]) as tf.Tensor4D, w, 1, 'same'));
  console.log('speedup', (slow / fast).toFixed(1));
  tf.dispose([dy, w]);
}
for (const [N, H, ci, co, s] of [[4, 160, 64, 64, 1], [4, 320, 32, 32, 1], [4, 320, 1, 32, 2], [4, 160, 32, 48, 2], [4, 10, 512, 512, 1]]) {
  const x = tf.randomUniform([N, H, H, ci]) as tf.Tensor4D; const w = tf.randomUniform([3, 3, ci, co]) as tf.Tensor4D;
  const dy = tf.randomUniform([N, H / s, H / s, co]) as tf.Tensor4D;
  const fwd = time(`fwd N${N} ${H} ${ci}->${co} s${s}`, () => tf.conv2d(x, w, s, 'same'));
  const dw = time(`dW`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [s, s], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, ci, co] }) as tf.Tensor);
  const dx = time(`dX`, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: [s, s], pad: 'same', dataFormat: 'NHWC', inputShape: [N, H, H, ci] }) as tf.Tensor);
  console.log('  dW/fwd', (dw / fwd).toFixed(2), 'dX/fwd', (dx / fwd).toFixed(2));
  tf.dispose([x, w, dy]);
}
console.log('tensors leaked', tf.memory().numTensors - before);
