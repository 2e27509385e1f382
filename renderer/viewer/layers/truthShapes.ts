/**
 * What the Truth layer draws for one ground-truth record, in image pixels: a real outline (the
 * edge of its mask), a box, or a circle, and the label saying what the data set says it is. Pure,
 * so it is unit-tested in Node.
 */
import type { GroundTruthBox, GroundTruthFinding } from '../../../main/api/domain.js';
import type { MaskRaster } from '../../editing/maskRaster.js';

/** An outline is traced on at most this many cells along its box's longer side. */
const OUTLINE_MAX_CELLS = 256;

/** The label's lines: what it is (and its pathology), then the data set's grading where known. */
export function truthLabelLines(finding: GroundTruthFinding): [string, ...string[]] {
  const details = finding.details;
  if (!details) return [`${finding.abnormalityClass}${finding.severity ? ` ${finding.severity}` : ''}`];
  const pathology = details.pathology
    ? details.pathology.replace(/_/g, ' ')
    : // Several findings on one image whose rows disagree, and which box is which is not recorded.
      'pathology not assigned';
  const grading = [
    details.assessment !== null ? `BI-RADS ${details.assessment}` : null,
    details.subtlety !== null ? `subtlety ${details.subtlety}/5` : null,
  ].filter((part): part is string => part !== null);
  return grading.length
    ? [`${finding.abnormalityClass} ${pathology}`, grading.join(' · ')]
    : [`${finding.abnormalityClass} ${pathology}`];
}

/**
 * The edge of a mask inside a box, as unit segments between inside and outside cells, in image
 * pixel edges: [x1, y1, x2, y2, ...]. A large outline is traced on cells of several pixels (a cell
 * is inside when any of its pixels is), so a 3,000-pixel lesion costs no more than a small one.
 */
export function outlineSegments(mask: MaskRaster, box: GroundTruthBox): Float32Array {
  const left = Math.max(0, Math.floor(box.left) - 1);
  const top = Math.max(0, Math.floor(box.top) - 1);
  const right = Math.min(mask.columns, Math.ceil(box.left + box.width) + 1);
  const bottom = Math.min(mask.rows, Math.ceil(box.top + box.height) + 1);
  const step = Math.max(1, Math.ceil(Math.max(right - left, bottom - top) / OUTLINE_MAX_CELLS));
  const width = Math.ceil((right - left) / step);
  const height = Math.ceil((bottom - top) / step);
  const inside = new Uint8Array(width * height);
  for (let row = top; row < bottom; row++)
    for (let column = left; column < right; column++)
      if (mask.data[row * mask.columns + column])
        inside[(((row - top) / step) | 0) * width + (((column - left) / step) | 0)] = 1;
  const at = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : inside[y * width + x]!;
  const segments: number[] = [];
  const edge = (x1: number, y1: number, x2: number, y2: number): void => {
    segments.push(
      left + Math.min(x1 * step, right - left),
      top + Math.min(y1 * step, bottom - top),
      left + Math.min(x2 * step, right - left),
      top + Math.min(y2 * step, bottom - top),
    );
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!inside[y * width + x]) continue;
      if (!at(x, y - 1)) edge(x, y, x + 1, y);
      if (!at(x, y + 1)) edge(x, y + 1, x + 1, y + 1);
      if (!at(x - 1, y)) edge(x, y, x, y + 1);
      if (!at(x + 1, y)) edge(x + 1, y, x + 1, y + 1);
    }
  return Float32Array.from(segments);
}
