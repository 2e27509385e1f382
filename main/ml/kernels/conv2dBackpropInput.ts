import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { tf } from '../backend/tf.js';
import {
  asTensor,
  convGeometry,
  nchwShapeToNhwc,
  padToNhwc,
  requireInput,
  toNchw,
  toNhwc,
  type ConvGeometry,
} from './kernelUtil.js';

/**
 * Input gradient of a 2-D convolution (= transposed convolution), NHWC, dilation 1, from forward
 * convolutions, which wasm runs through XNNPACK about 10x faster than its own naive
 * `Conv2DBackpropInput`.
 *
 * Sub-pixel decomposition: for stride s the output rows split into s phases (row = s*a + r). Row
 * phase r only receives the filter taps kh ≡ r + padTop (mod s), so each (row, column) phase is a
 * stride-1 correlation of dy with a spatially flipped, channel-transposed subset of the filter: s*s
 * small forward convs doing together exactly the work of the transposed conv (no multiplications by
 * inserted zeros), then one transpose interleaves the phases. For stride 1 it is a single conv.
 */
export function conv2dBackpropInputNhwc(dy: tf.Tensor4D, filter: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D {
  const { batch, inHeight, inWidth, inChannels: ci, filterHeight: fh, filterWidth: fw } = geometry;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = geometry;
  const [, outHeight, outWidth] = dy.shape;
  return tf.tidy(() => {
    // Every phase is computed over the same ceil(in/s) rows and columns, then the excess is cropped.
    const rows = Math.ceil(inHeight / sh);
    const cols = Math.ceil(inWidth / sw);
    const phases: tf.Tensor4D[] = [];
    for (let ry = 0; ry < sh; ry++) {
      const py = phase(ry, padTop, sh, fh, rows, outHeight);
      for (let rx = 0; rx < sw; rx++) {
        const px = phase(rx, padLeft, sw, fw, cols, outWidth);
        if (py.taps === 0 || px.taps === 0) {
          phases.push(tf.zeros([batch, rows, cols, ci]));
          continue;
        }
        // sub[j, i, :, :] = filter[k0y + sh*(My-1-j), k0x + sw*(Mx-1-i), :, :]ᵀ
        const sub = tf.transpose(
          tf.reverse(tf.stridedSlice(filter, [py.firstTap, px.firstTap, 0, 0], [fh, fw, ci, geometry.outChannels], [sh, sw, 1, 1]), [0, 1]),
          [0, 1, 3, 2],
        ) as tf.Tensor4D;
        // Negative padding means the phase never reads those dy rows: crop them instead.
        const cropped = tf.slice(
          dy,
          [0, Math.max(0, -py.padBefore), Math.max(0, -px.padBefore), 0],
          [
            batch,
            outHeight - Math.max(0, -py.padBefore) - Math.max(0, -py.padAfter),
            outWidth - Math.max(0, -px.padBefore) - Math.max(0, -px.padAfter),
            -1,
          ],
        );
        const pads: [[number, number], [number, number], [number, number], [number, number]] = [
          [0, 0],
          [Math.max(0, py.padBefore), Math.max(0, py.padAfter)],
          [Math.max(0, px.padBefore), Math.max(0, px.padAfter)],
          [0, 0],
        ];
        phases.push(tf.conv2d(cropped, sub, 1, pads));
      }
    }
    if (phases.length === 1) return phases[0] as tf.Tensor4D;
    // [sh, sw, N*rows, cols, ci] -> [N*rows, sh, cols, sw, ci] interleaves rows and columns.
    const stacked = tf.reshape<tf.Rank.R5>(tf.stack(phases), [sh, sw, batch * rows, cols, ci]);
    const interleaved = tf.reshape<tf.Rank.R4>(tf.transpose(stacked, [2, 0, 3, 1, 4]), [batch, rows * sh, cols * sw, ci]);
    if (rows * sh === inHeight && cols * sw === inWidth) return interleaved;
    return tf.slice(interleaved, [0, 0, 0, 0], [batch, inHeight, inWidth, ci]);
  });
}

interface Phase {
  /** First filter tap feeding this phase. */
  firstTap: number;
  /** How many taps (every s-th) feed it. */
  taps: number;
  /** dy padding before/after (negative: rows to crop) for a valid stride-1 conv giving `size` outputs. */
  padBefore: number;
  padAfter: number;
}

/**
 * Output row s*a + r of the transposed conv receives dy[a + q - m] * w[k0 + s*m], m = 0..taps-1,
 * where k0 = (r + pad) mod s and q = floor((r + pad) / s). With the taps reversed that is a
 * stride-1 correlation over dy rows a + q - (taps-1) ... a + q.
 */
function phase(r: number, pad: number, s: number, filterSize: number, size: number, dySize: number): Phase {
  const firstTap = (r + pad) % s;
  const taps = firstTap < filterSize ? Math.ceil((filterSize - firstTap) / s) : 0;
  const q = Math.floor((r + pad) / s);
  return { firstTap, taps, padBefore: taps - 1 - q, padAfter: size + q - dySize };
}

/** Kernel function for `Conv2DBackpropInput` built from forward convs (any backend, registered for wasm). */
export const conv2dBackpropInputKernel: KernelFunc = ({ inputs, attrs }) => {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const dy = asTensor<tf.Rank.R4>(requireInput(inputs, 'dy', 'Conv2DBackpropInput'));
  const filter = asTensor<tf.Rank.R4>(requireInput(inputs, 'filter', 'Conv2DBackpropInput'));
  try {
    return tf.tidy(() => {
      const channelsFirst = dataFormat === 'NCHW';
      const dyNhwc = channelsFirst ? toNhwc(dy.tensor) : dy.tensor;
      const shape = channelsFirst ? nchwShapeToNhwc(inputShape) : inputShape;
      const geometry = convGeometry(shape, filter.tensor.shape, strides, padToNhwc(pad, dataFormat), dimRoundingMode);
      if (dyNhwc.shape[1] !== geometry.outHeight || dyNhwc.shape[2] !== geometry.outWidth) {
        throw new Error(
          `Conv2DBackpropInput: dy shape ${dyNhwc.shape} does not match the conv output ` +
            `${geometry.outHeight}x${geometry.outWidth}`,
        );
      }
      const dx = conv2dBackpropInputNhwc(dyNhwc, filter.tensor, geometry);
      return channelsFirst ? toNchw(dx) : dx;
    });
  } finally {
    if (dy.owned) dy.tensor.dispose();
    if (filter.owned) filter.tensor.dispose();
  }
};

/** Registration record for the wasm backend (replaces wasm's naive kernel). */
export const conv2dBackpropInputWasmConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputKernel,
};
