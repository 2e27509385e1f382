import { tf } from '../backend/tf.js';
import { dilatedConv2d } from '../kernels/dilatedConv2d.js';

type Kwargs = Record<string, unknown>;
type Shape = (number | null)[];

/** Initializers the custom layers accept, by name (so their configs serialise as plain JSON). */
export type InitializerName = 'heNormal' | 'glorotUniform' | 'zeros';

function initializer(name: InitializerName): ReturnType<typeof tf.initializers.zeros> {
  switch (name) {
    case 'heNormal':
      return tf.initializers.heNormal({});
    case 'glorotUniform':
      return tf.initializers.glorotUniform({});
    case 'zeros':
      return tf.initializers.zeros();
  }
}

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  const t = Array.isArray(inputs) ? inputs[0] : inputs;
  if (t === undefined) throw new Error('expected one input tensor');
  return t;
}

function singleShape(shape: Shape | Shape[]): Shape {
  return (Array.isArray(shape[0]) ? shape[0] : shape) as Shape;
}

/** Construction arguments of {@link DilatedConv2D}. */
export interface DilatedConv2DArgs {
  filters: number;
  /** Square kernel side (default 3). */
  kernelSize?: number;
  /** Dilation rate (default 2). */
  dilationRate?: number;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  /** L2 factor on the kernel (Keras convention: factor * sum(w²)); 0 for none. */
  kernelL2?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * A trainable 'same'-padded dilated 3x3 convolution: tfjs refuses gradients for `dilationRate` > 1
 * on every backend, so this layer computes it as pad -> spaceToBatchND -> conv2d -> batchToSpaceND
 * (see `dilatedConv2d`), which has gradients and gives the same output. Weights have the shapes
 * of a Keras Conv2D (`kernel` [k, k, in, filters], `bias` [filters]).
 */
export class DilatedConv2D extends tf.layers.Layer {
  static readonly className = 'DilatedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly dilationRate: number;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly kernelL2: number;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: DilatedConv2DArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize ?? 3;
    this.dilationRate = args.dilationRate ?? 2;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'heNormal';
    this.kernelL2 = args.kernelL2 ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = singleShape(inputShape)[3];
    if (channels == null) throw new Error(`${this.name}: the channel dimension must be known`);
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, this.kernelSize, channels, this.filters],
      'float32',
      initializer(this.kernelInitializer),
      this.kernelL2 > 0 ? tf.regularizers.l2({ l2: this.kernelL2 }) : undefined,
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', initializer('zeros'));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = singleShape(inputShape);
    return [n ?? null, h ?? null, w ?? null, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      if (this.kernel === undefined) throw new Error(`${this.name}: call before build`);
      const x = single(inputs) as tf.Tensor4D;
      const y = dilatedConv2d(x, this.kernel.read() as tf.Tensor4D, this.dilationRate, 'same');
      return this.bias === undefined ? y : tf.add(y, this.bias.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilationRate: this.dilationRate,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      kernelL2: this.kernelL2,
    };
  }
}

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
  static readonly className = 'ResizeToReference';
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
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error(`${this.name}: expects [x, reference]`);
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

/** Registers the custom layers with tfjs serialization (needed before loading a saved model). Idempotent. */
export function registerCustomLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(DilatedConv2D);
  tf.serialization.registerClass(ResizeToReference);
  registered = true;
}

registerCustomLayers();
