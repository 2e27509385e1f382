import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { tf } from '../backend/tf.js';

let registered = false;

/**
 * Replaces the gradient of `ResizeNearestNeighbor` (what `upSampling2d` with nearest interpolation
 * runs) for whole-number upscaling: each input pixel's gradient is the sum of the gradients of the
 * s x s output pixels it was copied to, computed as an s x s average pool times s². The cpu
 * backend's `ResizeNearestNeighborGrad` mixes up images when the batch holds more than one, and
 * this form is also cheaper on wasm. Other resizes keep tfjs's own gradient. Idempotent.
 */
export function registerExactNearestUpsamplingGradient(): void {
  if (registered) return;
  const builtin = tf.getGradient(tf.ResizeNearestNeighbor);
  tf.registerGradient({
    kernelName: tf.ResizeNearestNeighbor,
    inputsToSave: ['images'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const gradient = dy as tf.Tensor4D;
      const [images] = saved as [tf.Tensor4D];
      const [, rows, columns] = images.shape;
      const [, outRows, outColumns] = gradient.shape;
      const factor = outRows / rows;
      const wholeUpscale =
        Number.isInteger(factor) &&
        factor >= 1 &&
        outColumns === columns * factor &&
        !attrs['alignCorners'] &&
        !attrs['halfPixelCenters'];
      if (!wholeUpscale) return builtin!.gradFunc(dy, saved, attrs);
      return { images: () => tf.mul(tf.avgPool(gradient, factor, factor, 'valid'), factor * factor) };
    },
  });
  registered = true;
}
