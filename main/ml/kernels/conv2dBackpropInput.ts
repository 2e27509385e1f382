import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { tf } from '../backend/tf.js';
import { copyRuns } from './copyRuns.js';
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
 * Input gradient of a 2-D convolution (= transposed convolution), NHWC, dilation 1, computed with
 * forward convolutions, which wasm runs through XNNPACK (its own `Conv2DBackpropInput` is a naive
 * loop, ~10x slower).
 *
 * Sub-pixel decomposition: for stride s, output row s*a + r only receives the filter taps
 * kh ≡ r + padTop (mod s), so each (row, column) phase is a stride-1 correlation of dy with a
 * spatially flipped, channel-transposed subset of the filter. Layout decides the speed on wasm,
 * whose data-movement kernels are slow: one conv per row phase computes all column phases at once
 * (their filters side by side over the union of their column windows, zeros elsewhere), so its
 * output [N, A, B, s*Cin] already interleaves the columns; the row phases are interleaved by a
 * concat along a new axis, which copies long contiguous rows. Extra multiplications: the union
 * window, e.g. 1.5x for the 4x4 stride-2 kernels of the seed model's decoder. Stride 1 is one conv.
 */
export function conv2dBackpropInputNhwc(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: ConvGeometry,
): tf.Tensor4D {
  const {
    batch,
    inHeight,
    inWidth,
    inChannels: ci,
    outChannels: co,
    filterHeight: fh,
    filterWidth: fw,
  } = geometry;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = geometry;
  const [, outHeight, outWidth] = dy.shape;
  return tf.tidy(() => {
    // Every phase is computed over ceil(in/s) rows and columns; the excess is cropped at the end.
    const rows = Math.ceil(inHeight / sh);
    const cols = Math.ceil(inWidth / sw);
    const colPhases = Array.from({ length: sw }, (_, rx) => phase(rx, padLeft, sw, fw));
    const used = colPhases.filter((p) => p.taps > 0);
    // Column window (dy column offsets relative to the output column) covering every column phase.
    const lo = Math.min(...used.map((p) => p.first));
    const hi = Math.max(...used.map((p) => p.first + p.taps - 1));
    const rowOutputs: tf.Tensor4D[] = [];
    for (let ry = 0; ry < sh; ry++) {
      const rowPhase = phase(ry, padTop, sh, fh);
      if (rowPhase.taps === 0 || used.length === 0) {
        rowOutputs.push(tf.zeros([batch, rows, 1, cols * sw * ci]));
        continue;
      }
      const blocks = colPhases.map((colPhase) => {
        const width = hi - lo + 1;
        if (colPhase.taps === 0) return tf.zeros<tf.Rank.R4>([rowPhase.taps, width, co, ci]);
        // sub[j, i] = filter[tap of row offset j, tap of column offset i]ᵀ (taps reversed: correlation)
        const sub = tf.transpose(
          tf.reverse(
            tf.stridedSlice(filter, [rowPhase.tap0, colPhase.tap0, 0, 0], [fh, fw, ci, co], [sh, sw, 1, 1]),
            [0, 1],
          ),
          [0, 1, 3, 2],
        ) as tf.Tensor4D;
        const before = colPhase.first - lo;
        return tf.pad(sub, [
          [0, 0],
          [before, width - before - colPhase.taps],
          [0, 0],
          [0, 0],
        ]);
      });
      const unionFilter = blocks.length === 1 ? (blocks[0] as tf.Tensor4D) : tf.concat(blocks, 3);
      const convolved = stride1Conv(dy, unionFilter, rowPhase.first, rows, lo, cols);
      rowOutputs.push(tf.reshape(convolved, [batch, rows, 1, cols * sw * ci]));
    }
    const interleaved = tf.reshape<tf.Rank.R4>(
      rowOutputs.length === 1 ? (rowOutputs[0] as tf.Tensor4D) : tf.concat(rowOutputs, 2),
      [batch, rows * sh, cols * sw, ci],
    );
    return cropNhwc(interleaved, 0, 0, inHeight, inWidth);
  });

  /**
   * Valid stride-1 conv giving `count` outputs per axis whose output i reads dy from i + first
   * (which may lie outside dy: zero padding, or cropping when positive on the far side).
   */
  function stride1Conv(
    input: tf.Tensor4D,
    f: tf.Tensor4D,
    firstRow: number,
    countRows: number,
    firstCol: number,
    countCols: number,
  ): tf.Tensor4D {
    const [kh, kw] = f.shape;
    const padRows = [-firstRow, countRows - 1 + firstRow + kh - 1 - (outHeight - 1)] as const;
    const padCols = [-firstCol, countCols - 1 + firstCol + kw - 1 - (outWidth - 1)] as const;
    const cropTop = Math.max(0, -padRows[0]);
    const cropLeft = Math.max(0, -padCols[0]);
    const cropped = cropNhwc(
      input,
      cropTop,
      cropLeft,
      outHeight - cropTop - Math.max(0, -padRows[1]),
      outWidth - cropLeft - Math.max(0, -padCols[1]),
    );
    return tf.conv2d(cropped, f, 1, [
      [0, 0],
      [Math.max(0, padRows[0]), Math.max(0, padRows[1])],
      [Math.max(0, padCols[0]), Math.max(0, padCols[1])],
      [0, 0],
    ]);
  }
}

interface Phase {
  /** First filter tap feeding this phase. */
  tap0: number;
  /** How many taps (every s-th) feed it. */
  taps: number;
  /** dy offset (relative to the phase's output index) read by its first reversed tap. */
  first: number;
}

/**
 * Output index s*a + r of the transposed conv receives dy[a + q - m] * w[tap0 + s*m], m = 0..taps-1,
 * with tap0 = (r + pad) mod s and q = floor((r + pad) / s); reversing the taps makes it a
 * correlation over dy[a + q - (taps-1) ... a + q].
 */
function phase(r: number, pad: number, s: number, filterSize: number): Phase {
  const tap0 = (r + pad) % s;
  const taps = tap0 < filterSize ? Math.ceil((filterSize - tap0) / s) : 0;
  const q = Math.floor((r + pad) / s);
  return { tap0, taps, first: q - (taps - 1) };
}

/** t[:, top:top+height, left:left+width, :] through {@link copyRuns} (wasm's slice copies all of t first). */
function cropNhwc(t: tf.Tensor4D, top: number, left: number, height: number, width: number): tf.Tensor4D {
  const [n, h, w, c] = t.shape;
  if (top === 0 && left === 0 && height === h && width === w) return t;
  if (height <= 0 || width <= 0) throw new Error(`Conv2DBackpropInput: empty crop of ${t.shape}`);
  const runs: number[] = [];
  for (let b = 0; b < n; b++) runs.push(((b * h + top) * w + left) * c, height, w * c, width * c);
  return copyRuns(t, runs, [n, height, width, c]) as tf.Tensor4D;
}

/** Kernel function for `Conv2DBackpropInput` built from forward convs (registered for wasm). */
export const conv2dBackpropInputKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  const dy = asTensor<tf.Rank.R4>(requireInput(inputs, 'dy', 'Conv2DBackpropInput'), backend);
  const filter = asTensor<tf.Rank.R4>(requireInput(inputs, 'filter', 'Conv2DBackpropInput'), backend);
  try {
    return tf.tidy(() => {
      const channelsFirst = dataFormat === 'NCHW';
      const dyNhwc = channelsFirst ? toNhwc(dy.tensor) : dy.tensor;
      const shape = channelsFirst ? nchwShapeToNhwc(inputShape) : inputShape;
      const geometry = convGeometry(
        shape,
        filter.tensor.shape,
        strides,
        padToNhwc(pad, dataFormat),
        dimRoundingMode,
      );
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
