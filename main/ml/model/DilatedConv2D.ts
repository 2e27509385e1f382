import { tf } from '../backend/tf.js';
import { dilatedConv2d } from '../kernels/dilatedConv2d.js';

export interface DilatedConv2DArgs {
  filters: number;
  kernelSize: number;
  rate: number;
  useBias?: boolean;
  seed?: number;
  name?: string;
}

/**
 * A 'same' convolution with a dilation rate that can be trained: tfjs's own conv2d layer refuses
 * gradients for dilation > 1, so this computes it through space-to-batch (see dilatedConv2d).
 * Registered for serialization, so saved models load back.
 */
export class DilatedConv2D extends tf.layers.Layer {
  static readonly className = 'MammoDilatedConv2D';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly rate: number;
  private readonly useBias: boolean;
  private readonly seed: number | undefined;
  private kernel!: tf.LayerVariable;
  private bias: tf.LayerVariable | undefined;

  constructor(args: DilatedConv2DArgs) {
    super(args.name ? { name: args.name } : {});
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.rate = args.rate;
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, this.kernelSize, channels, this.filters],
      'float32',
      tf.initializers.heNormal(this.seed === undefined ? {} : { seed: this.seed }),
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const y = dilatedConv2d(x, this.kernel.read() as tf.Tensor4D, this.rate, 'same');
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      rate: this.rate,
      useBias: this.useBias,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as never);
  }
}
