import type { tf } from '../backend/tf.js';
import { DilatedConv2D } from './DilatedConv2D.js';

/** One convolution layer's cost at a given input size. */
export interface LayerFlops {
  name: string;
  className: string;
  outputShape: number[];
  /** Multiply-accumulates. */
  macs: number;
}

/** Convolution cost of a model at one input size. */
export interface ModelFlops {
  inputShape: number[];
  /** 2 x conv MACs (bias adds, BN, activations, pools and resizes are not counted). */
  flops: number;
  macs: number;
  layers: LayerFlops[];
}

const CONV_CLASSES = new Set(['Conv2D', 'Conv2DTranspose', DilatedConv2D.className]);

/**
 * Counts the convolution FLOPs (2 x MACs) of a functional model for a concrete input shape by
 * propagating shapes through each layer's `computeOutputShape`: no tensors are run, so it is
 * instant at any size (unlike `countModelFlops` of densePredictionModel.ts, which runs the model).
 * Works for any single-input functional model in which each layer is applied once. A conv's MACs
 * are outH*outW*k*k*Cin*Cout; a transposed conv's inH*inW*k*k*Cin*Cout (each input pixel scatters the
 * whole kernel); a dilated conv costs what a plain one does.
 * @param inputShape e.g. [1, 320, 320, 1]
 */
export function convFlops(model: tf.LayersModel, inputShape: number[]): ModelFlops {
  const shapes = new Map<number, number[]>();
  const [modelInput] = model.inputs;
  if (model.inputs.length !== 1 || modelInput === undefined) throw new Error('convFlops: expects one input');
  shapes.set(modelInput.id, inputShape);
  const layers: LayerFlops[] = [];
  let macs = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const node = layer.inboundNodes[0];
    if (node === undefined || layer.inboundNodes.length !== 1) {
      throw new Error(`convFlops: layer ${layer.name} is not used exactly once`);
    }
    const inShapes = node.inputTensors.map((t) => {
      const s = shapes.get(t.id);
      if (s === undefined) throw new Error(`convFlops: no shape for the input of ${layer.name}`);
      return s;
    });
    const computed = layer.computeOutputShape(inShapes.length === 1 ? (inShapes[0] as number[]) : inShapes);
    const outShapes = (Array.isArray(computed[0]) ? computed : [computed]) as number[][];
    node.outputTensors.forEach((t, i) => {
      const s = outShapes[i];
      if (s === undefined) throw new Error(`convFlops: ${layer.name} has fewer output shapes than outputs`);
      shapes.set(t.id, s);
    });
    const className = layer.getClassName();
    if (!CONV_CLASSES.has(className)) continue;
    const config = layer.getConfig() as { filters: number; kernelSize: number | number[] };
    const kernel = Array.isArray(config.kernelSize)
      ? config.kernelSize
      : [config.kernelSize, config.kernelSize];
    const [kh = 1, kw = 1] = kernel;
    const inShape = inShapes[0] as number[];
    const outShape = outShapes[0] as number[];
    const [batch = 1, inH = 0, inW = 0, inC = 0] = inShape;
    const [, outH = 0, outW = 0] = outShape;
    const spatial = className === 'Conv2DTranspose' ? inH * inW : outH * outW;
    const layerMacs = batch * spatial * kh * kw * inC * config.filters;
    macs += layerMacs;
    layers.push({ name: layer.name, className, outputShape: outShape, macs: layerMacs });
  }
  return { inputShape, flops: 2 * macs, macs, layers };
}
