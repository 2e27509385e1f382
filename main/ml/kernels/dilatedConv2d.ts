import { tf } from '../backend/tf.js';

/**
 * A 2-D convolution with dilation `rate` (NHWC, stride 1) that tfjs can differentiate: tfjs refuses
 * gradients for dilated convolutions on every backend ("dilation rates greater than 1 are not yet
 * supported in gradients"), but space-to-batch -> ordinary conv -> batch-to-space computes the same
 * thing from ops that all have gradients (TensorFlow's own `atrous_conv2d` does this).
 *
 * With the input padded to a multiple of the rate, spaceToBatchND moves each of the rate² pixel
 * phases into its own batch entry, where the dilated filter becomes an ordinary one.
 *
 * @param x [N, H, W, Cin]
 * @param filter [kh, kw, Cin, Cout]
 * @param rate dilation rate (same along both axes); 1 falls through to a plain conv.
 * @param padding 'same' (output H x W) or 'valid' (output H - rate*(kh-1) x W - rate*(kw-1)).
 */
export function dilatedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  rate: number,
  padding: 'same' | 'valid' = 'same',
): tf.Tensor4D {
  if (!Number.isInteger(rate) || rate < 1)
    throw new Error(`dilatedConv2d: rate must be a positive integer, got ${rate}`);
  if (rate === 1) return tf.conv2d(x, filter, 1, padding);
  return tf.tidy(() => {
    const [, height, width] = x.shape;
    const [kh, kw] = filter.shape;
    const extentH = rate * (kh - 1);
    const extentW = rate * (kw - 1);
    // 'same' pads like TensorFlow: the odd pixel goes after.
    const padTop = padding === 'same' ? Math.floor(extentH / 2) : 0;
    const padLeft = padding === 'same' ? Math.floor(extentW / 2) : 0;
    const padBottom = padding === 'same' ? extentH - padTop : 0;
    const padRight = padding === 'same' ? extentW - padLeft : 0;
    const outHeight = height + padTop + padBottom - extentH;
    const outWidth = width + padLeft + padRight - extentW;
    if (outHeight <= 0 || outWidth <= 0) throw new Error(`dilatedConv2d: input ${height}x${width} too small`);
    // Extra rows/columns so the padded size divides by the rate; they fall into outputs cropped below.
    const extraH = (rate - ((height + padTop + padBottom) % rate)) % rate;
    const extraW = (rate - ((width + padLeft + padRight) % rate)) % rate;
    const batched = tf.spaceToBatchND(
      x,
      [rate, rate],
      [
        [padTop, padBottom + extraH],
        [padLeft, padRight + extraW],
      ],
    );
    const convolved = tf.conv2d(batched as tf.Tensor4D, filter, 1, 'valid');
    return tf.batchToSpaceND(
      convolved,
      [rate, rate],
      [
        [0, extraH],
        [0, extraW],
      ],
    ) as tf.Tensor4D;
  });
}
