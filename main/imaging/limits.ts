/**
 * The largest images the workstation accepts, checked before anything is allocated. Set from real
 * mammography: the largest full-field digital detectors are about 4,000 x 5,600 pixels (e.g. 4096 x
 * 5625 at 50 um), so the caps leave room above them while refusing a header that declares, say,
 * 30000 x 30000 (a 1.75 MB deflated file that inflated to gigabytes).
 */

/** Largest Rows or Columns. */
export const MAX_IMAGE_DIMENSION = 8192;

/**
 * Smallest Rows or Columns an imported image may have, and the most one side may exceed the other:
 * a detector or a digitised film is a plate, never a line (a 4664 x 1 "image" was accepted).
 */
export const MIN_IMAGE_DIMENSION = 8;
export const MAX_IMAGE_ASPECT = 4;

/** Largest Rows x Columns: about twice the largest detector. */
export const MAX_IMAGE_PIXELS = 48 * 1024 * 1024;

/** Largest 16-bit frame, the most a file's pixel data can honestly need. */
const MAX_FRAME_BYTES = MAX_IMAGE_PIXELS * 2;

/** Largest inflated data set of a deflated file: one frame plus generous room for the header. */
export const MAX_INFLATED_BYTES = MAX_FRAME_BYTES + 16 * 1024 * 1024;

/**
 * Largest data set before Pixel Data that a header walk inflates. Headers are kilobytes; private
 * blobs and overlays can reach a few megabytes. More is a deflate bomb, not a mammogram.
 */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** Largest file read at all: judged from its size before a byte is read. */
export const MAX_FILE_BYTES = MAX_FRAME_BYTES + 64 * 1024 * 1024;

/**
 * Pixel spacing a projection mammogram can have, in mm: detectors are 0.05 to 0.1 mm, digitised
 * film down to 0.2-0.3 mm. Outside this a header is wrong, and resampling it to the model's
 * spacing would allocate absurd amounts (1000 mm asked for 713 billion elements).
 */
export const PIXEL_SPACING_RANGE_MM = { min: 0.01, max: 1 } as const;

/** `12.3 MB` for messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
