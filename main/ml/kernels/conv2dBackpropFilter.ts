import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { tf } from '../backend/tf.js';
import { asTensor, convGeometry, padToNhwc, requireInput, toNhwc, type ConvGeometry } from './kernelUtil.js';

/**
 * Filter gradient of a 2-D convolution (NHWC, dilation 1), from fast wasm ops: one XNNPACK matrix
 * product per filter tap.
 *
 * dW[kh, kw, :, :] = sum over pixels p of x_tap(p) (outer) dy(p), where x_tap is the padded input
 * shifted by the tap and subsampled by the stride. Each tap is computed as dyᵀ[Co, P] · x_tap[P, Ci]:
 * wasm's matMul takes the XNNPACK path only without transposes and with batch 1, so dy is
 * transposed once and shared by all taps, and x_tap is the packed "weights" operand.
 *
 * Getting x_tap cheaply matters as much as the products: wasm's slice is a JavaScript loop of
 * row copies, fast only when rows are long. With the input viewed as [N, H, W*C], a tap's slice
 * copies rows of outWidth*C floats. For stride s the input is first split into s*s phase planes
 * (one transpose) so that every tap is again a unit-stride slice of one plane.
 */
export function conv2dBackpropFilterNhwc(x: tf.Tensor4D, dy: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D {
  const { batch, inHeight, inWidth, inChannels: ci, outChannels: co, filterHeight: fh, filterWidth: fw } = geometry;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = geometry;
  const [, outHeight, outWidth] = dy.shape;
  return tf.tidy(() => {
    // Rows the taps read run from -padTop to (outHeight-1)*sh + fh - 1 - padTop; pad to cover them and
    // round up to whole stride phases. Rows past the input read zeros, as in the forward conv.
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
    // planes[ph * sw + pw][n, a, b*ci + c] = xPadded[n, a*sh + ph, b*sw + pw, c]
    const planes: tf.Tensor3D[] = [];
    if (sh === 1 && sw === 1) {
      planes.push(tf.reshape(xPadded, [batch, paddedHeight, paddedWidth * ci]));
    } else {
      const split = tf.transpose(tf.reshape(xPadded, [batch * planeHeight, sh, planeWidth, sw, ci]), [1, 3, 0, 2, 4]);
      xPadded.dispose();
      const planeSize = batch * planeHeight * planeWidth * ci;
      const flat = tf.reshape(split, [sh * sw, planeSize]);
      for (let phase = 0; phase < sh * sw; phase++) {
        planes.push(tf.reshape(tf.slice(flat, [phase, 0], [1, planeSize]), [batch, planeHeight, planeWidth * ci]));
      }
      split.dispose();
      flat.dispose();
    }
    const pixels = batch * outHeight * outWidth;
    const dyT = tf.transpose(tf.reshape(dy, [pixels, co])); // [co, P]
    const taps: tf.Tensor2D[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const plane = planes[(kh % sh) * sw + (kw % sw)];
        if (plane === undefined) throw new Error('conv2dBackpropFilter: phase plane missing');
        const qh = Math.floor(kh / sh);
        const qw = Math.floor(kw / sw);
        const xTap = tf.reshape(tf.slice(plane, [0, qh, qw * ci], [batch, outHeight, outWidth * ci]), [pixels, ci]);
        taps.push(tf.matMul(dyT, xTap)); // [co, ci]
        // Free each tap's copy at once: a tidy would hold all fh*fw copies until the end.
        xTap.dispose();
      }
    }
    const stacked = tf.reshape<tf.Rank.R4>(tf.stack(taps), [fh, fw, co, ci]);
    return tf.transpose(stacked, [0, 1, 3, 2]);
  });
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** Kernel function for `Conv2DBackpropFilter` built from the ops above (any backend, registered for wasm). */
export const conv2dBackpropFilterKernel: KernelFunc = ({ inputs, attrs }) => {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const x = asTensor<tf.Rank.R4>(requireInput(inputs, 'x', 'Conv2DBackpropFilter'));
  const dy = asTensor<tf.Rank.R4>(requireInput(inputs, 'dy', 'Conv2DBackpropFilter'));
  try {
    return tf.tidy(() => {
      const channelsFirst = dataFormat === 'NCHW';
      const xNhwc = channelsFirst ? toNhwc(x.tensor) : x.tensor;
      const dyNhwc = channelsFirst ? toNhwc(dy.tensor) : dy.tensor;
      const geometry = convGeometry(xNhwc.shape, filterShape, strides, padToNhwc(pad, dataFormat), dimRoundingMode);
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
