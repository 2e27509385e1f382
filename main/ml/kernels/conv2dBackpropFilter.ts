import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { tf } from '../backend/tf.js';
import { copyRuns } from './copyRuns.js';
import { asTensor, convGeometry, padToNhwc, requireInput, toNhwc, type ConvGeometry } from './kernelUtil.js';

/** Tuning of {@link conv2dBackpropFilterNhwc}; the defaults suit wasm. */
export interface BackpropFilterTuning {
  /**
   * Bytes of dy per chunk. XNNPACK's matrix product does not block its reduction dimension, so a
   * product over all pixels at once streams both operands from memory several times; chunks of a
   * few thousand pixels keep the packed dy chunk in the L2 cache (measured 2x faster).
   */
  chunkBytes?: number;
}

/**
 * Filter gradient of a 2-D convolution (NHWC, dilation 1) from fast wasm ops.
 *
 * dW[(kh, kw, ci), co] = sum over output pixels p of X[(kh, kw, ci), p] · dy[p, co], where X is the
 * im2col matrix in channel-major order. The pixels are split into chunks of whole output rows; per
 * chunk, X's block [fh*fw*ci, pixels] and dy's block [pixels, co] are copied out with
 * {@link copyRuns} and multiplied by one XNNPACK product (wasm's matMul is fast only without
 * transposes and with batch 1, hence the channel-major X), and the products are summed.
 *
 * To make every X row a run of contiguous copies, the padded input is transposed once to
 * [phase, ci, N*H/s, W/s]: the s*s stride phases become separate planes, so each tap reads unit-stride
 * row segments of one plane.
 */
export function conv2dBackpropFilterNhwc(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  geometry: ConvGeometry,
  tuning: BackpropFilterTuning = {},
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
  if (outHeight === 0 || outWidth === 0 || batch === 0) return tf.zeros([fh, fw, ci, co]);
  return tf.tidy(() => {
    // Rows the taps read run from -padTop to (outHeight-1)*sh + fh-1 - padTop; pad to cover them,
    // rounded up to whole stride phases. Padding reads zeros, as in the forward conv.
    const paddedHeight = roundUp(Math.max(inHeight + padTop, (outHeight - 1) * sh + fh), sh);
    const paddedWidth = roundUp(Math.max(inWidth + padLeft, (outWidth - 1) * sw + fw), sw);
    const xPadded = tf.pad(x, [
      [0, 0],
      [padTop, paddedHeight - inHeight - padTop],
      [padLeft, paddedWidth - inWidth - padLeft],
      [0, 0],
    ]);
    const planeHeight = paddedHeight / sh;
    const planeWidth = paddedWidth / sw;
    // planes[((ph*sw + pw)*ci + c)*planeSize + (n*planeHeight + a)*planeWidth + b]
    //   = xPadded[n, a*sh + ph, b*sw + pw, c]
    // Two transposes of rank <= 4: wasm's rank-5 transpose is ~10x slower than both together.
    const channelMajor = tf.transpose(tf.reshape(xPadded, [batch * paddedHeight * paddedWidth, ci]));
    xPadded.dispose();
    const planes =
      sh === 1 && sw === 1
        ? channelMajor
        : tf.transpose(
            tf.reshape(channelMajor, [ci * batch * planeHeight, sh, planeWidth, sw]),
            [1, 3, 0, 2],
          );
    const planeSize = batch * planeHeight * planeWidth;

    const taps = fh * fw;
    const chunkBytes = tuning.chunkBytes ?? 512 * 1024;
    const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / (4 * co * outWidth)));
    const totalRows = batch * outHeight;
    let sum: tf.Tensor2D | undefined;
    for (let firstRow = 0; firstRow < totalRows; firstRow += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, totalRows - firstRow);
      const pixels = rows * outWidth;
      // The chunk's output rows, split where they cross from one image to the next.
      const bands: { n: number; oy: number; rows: number }[] = [];
      for (let g = firstRow; g < firstRow + rows;) {
        const n = Math.floor(g / outHeight);
        const oy = g - n * outHeight;
        const count = Math.min(outHeight - oy, firstRow + rows - g);
        bands.push({ n, oy, rows: count });
        g += count;
      }
      const runs: number[] = [];
      for (let kh = 0; kh < fh; kh++) {
        for (let kw = 0; kw < fw; kw++) {
          const plane = (kh % sh) * sw + (kw % sw);
          const qh = Math.floor(kh / sh);
          const qw = Math.floor(kw / sw);
          for (let c = 0; c < ci; c++) {
            const planeStart = (plane * ci + c) * planeSize;
            for (const band of bands) {
              const start = planeStart + (band.n * planeHeight + band.oy + qh) * planeWidth + qw;
              runs.push(start, band.rows, planeWidth, outWidth);
            }
          }
        }
      }
      const partial = tf.tidy((): tf.Tensor2D => {
        const xBlock = copyRuns(planes, runs, [taps * ci, pixels]) as tf.Tensor2D;
        const dyBlock = copyRuns(
          dy,
          [firstRow * outWidth * co, 1, 0, pixels * co],
          [pixels, co],
        ) as tf.Tensor2D;
        const product = tf.matMul(xBlock, dyBlock) as tf.Tensor2D;
        return sum === undefined ? product : (tf.add(sum, product) as tf.Tensor2D);
      });
      sum?.dispose();
      sum = partial;
    }
    if (sum === undefined) throw new Error('conv2dBackpropFilter: no output rows');
    return tf.reshape(sum, [fh, fw, ci, co]);
  });
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** Kernel function for `Conv2DBackpropFilter` built from the ops above (registered for wasm). */
export const conv2dBackpropFilterKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  const x = asTensor<tf.Rank.R4>(requireInput(inputs, 'x', 'Conv2DBackpropFilter'), backend);
  const dy = asTensor<tf.Rank.R4>(requireInput(inputs, 'dy', 'Conv2DBackpropFilter'), backend);
  try {
    return tf.tidy(() => {
      const channelsFirst = dataFormat === 'NCHW';
      const xNhwc = channelsFirst ? toNhwc(x.tensor) : x.tensor;
      const dyNhwc = channelsFirst ? toNhwc(dy.tensor) : dy.tensor;
      const geometry = convGeometry(
        xNhwc.shape,
        filterShape,
        strides,
        padToNhwc(pad, dataFormat),
        dimRoundingMode,
      );
      if (dyNhwc.shape[1] !== geometry.outHeight || dyNhwc.shape[2] !== geometry.outWidth) {
        throw new Error(
          `Conv2DBackpropFilter: dy shape ${dyNhwc.shape} does not match the conv output ` +
            `${geometry.outHeight}x${geometry.outWidth}`,
        );
      }
      return conv2dBackpropFilterNhwc(xNhwc, dyNhwc, geometry);
    });
  } finally {
    if (x.owned) x.tensor.dispose();
    if (dy.owned) dy.tensor.dispose();
  }
};

/** Registration record for the wasm backend. */
export const conv2dBackpropFilterWasmConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterKernel,
};
