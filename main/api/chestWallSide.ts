/** Which edge of the pixel data the chest wall (the breast's base) lies against. */
export type ChestWallSide = 'left' | 'right';

/**
 * Where the chest wall is in a mammogram's pixels: the breast's base is the brighter side.
 * Compares the mean of the left and right thirds on a sparse grid (a few thousand samples).
 * `brightIsLow` for MONOCHROME1 pixel data, where tissue has the low values. Pure (the viewer
 * uses it too, for images without PatientOrientation, hence here beside the API types).
 */
export function estimateChestWallSide(
  raster: { width: number; height: number; samples: ArrayLike<number> },
  brightIsLow = false,
): ChestWallSide {
  const { width, height, samples } = raster;
  const third = Math.max(1, Math.floor(width / 3));
  const step = Math.max(1, Math.floor(Math.min(width, height) / 128));
  let left = 0;
  let right = 0;
  for (let y = 0; y < height; y += step) {
    const row = y * width;
    for (let x = 0; x < third; x += step) {
      left += samples[row + x] ?? 0;
      right += samples[row + width - 1 - x] ?? 0;
    }
  }
  return left >= right !== brightIsLow ? 'left' : 'right';
}
