/**
 * The one TensorFlow.js namespace the application uses.
 *
 * Every module under `main/ml` imports `tf` from here rather than from `@tensorflow/tfjs` directly, so
 * there is a single place that decides which copy of the library is in play. The native packages
 * (`@tensorflow/tfjs-node`, `@tensorflow/tfjs-node-gpu`) are loaded only for their side effect of
 * registering the `tensorflow` backend: the engine and the kernel registry live on the global object,
 * so a backend they register is visible through this namespace too. Layer serialization and the IO
 * router registry, by contrast, are per copy of the library: custom layers are registered on this
 * namespace, and models must be saved and loaded through it (not through tfjs-node's `file://`).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };

/** The TensorFlow.js namespace (same object as the `tf` export); handy where a function is easier to mock. */
export function getTf(): typeof tf {
  return tf;
}
