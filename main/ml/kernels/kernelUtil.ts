import { tf } from '../backend/tf.js';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs';

/** The padding forms a conv kernel's `pad` attribute can take. */
export type ConvPad = Conv2DBackpropFilterAttrs['pad'];

/**
 * Kernels receive whatever the caller passed to `runKernel`: op calls pass `Tensor`s, but another
 * kernel may pass bare `TensorInfo`s. Ops need real tensors, so bare infos get a tensor wrapper
 * (sharing the data, bumping its reference count) that the caller must dispose.
 */
export function asTensor<R extends tf.Rank>(
  info: tf.TensorInfo,
  backend: unknown,
): { tensor: tf.Tensor<R>; owned: boolean } {
  if (info instanceof tf.Tensor) return { tensor: info as tf.Tensor<R>, owned: false };
  // The wrapper's dispose releases one backend reference: take one for it.
  (backend as { incRef(dataId: tf.DataId): void }).incRef(info.dataId);
  return { tensor: tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>, owned: true };
}

export function requireInput(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`${kernel}: missing input '${name}'`);
  return info;
}

/** Geometry of a forward 2-D convolution (NHWC, dilation 1) as the backprop kernels see it. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Uses tfjs's own `computeConv2DInfo` so 'same', 'valid', numeric and explicit paddings and
 * `dimRoundingMode` mean exactly what they mean to the cpu backend's kernels.
 */
export function convGeometry(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: ConvPad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** NCHW <-> NHWC helpers for the rare channels-first call (wasm's own conv only does NHWC). */
export function toNhwc(t: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(t, [0, 2, 3, 1]);
}
export function toNchw(t: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(t, [0, 3, 1, 2]);
}
/** An explicit NCHW padding rewritten for NHWC; string and numeric paddings are layout-free. */
export function padToNhwc(pad: ConvPad, dataFormat: 'NHWC' | 'NCHW'): ConvPad {
  if (dataFormat === 'NHWC' || !Array.isArray(pad)) return pad;
  return [[0, 0], pad[2], pad[3], [0, 0]];
}
export function nchwShapeToNhwc(shape: [number, number, number, number]): [number, number, number, number] {
  return [shape[0], shape[2], shape[3], shape[1]];
}
