import { tf } from '../backend/tf.js';
import './registerLayers.js';

type Kwargs = Record<string, unknown>;
type Shape = (number | null)[];

/** Construction arguments of {@link ResizeToReference}. */
export interface ResizeToReferenceArgs {
  method: 'nearest' | 'bilinear';
  name?: string;
}

/**
 * Resizes its first input to the spatial size of its second (`[x, reference]`), so a decoder can
 * upsample to an encoder stage's size for any input size instead of by a fixed factor.
 *
 * Both methods use alignCorners = false and halfPixelCenters = false: wasm's resize gradient
 * kernels ignore halfPixelCenters, so with it the wasm gradients would not match the forward pass.
 * For the integer factors of the seed model, 'nearest' then replicates each pixel exactly.
 */
export class ResizeToReference extends tf.layers.Layer {
  static readonly className = 'MammoResizeToReference';
  readonly method: 'nearest' | 'bilinear';

  constructor(args: ResizeToReferenceArgs) {
    super({ name: args.name, trainable: false });
    this.method = args.method;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x, ref] = inputShape as Shape[];
    if (x === undefined || ref === undefined) throw new Error(`${this.name}: expects [x, reference]`);
    return [x[0] ?? null, ref[1] ?? null, ref[2] ?? null, x[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2)
      throw new Error(`${this.name}: expects [x, reference]`);
    const [x, ref] = inputs as [tf.Tensor4D, tf.Tensor4D];
    const size: [number, number] = [ref.shape[1], ref.shape[2]];
    if (x.shape[1] === size[0] && x.shape[2] === size[1]) return x.clone();
    return this.method === 'nearest'
      ? tf.image.resizeNearestNeighbor(x, size, false, false)
      : tf.image.resizeBilinear(x, size, false, false);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), method: this.method };
  }
}

let registered = false;

/**
 * Registers this module's layers with tfjs serialization (needed before loading a saved model);
 * importing the module does it, and also registers `DilatedConv2D` (./registerLayers.js). Idempotent.
 */
export function registerCustomLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(ResizeToReference);
  registered = true;
}

registerCustomLayers();
