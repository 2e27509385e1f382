import type { GroundTruthBox, GroundTruthCircle, Image } from '../api/domain.js';
import type { TrainingSample } from '../api/training.js';
import type { LesionRegion } from '../evaluation/froc.js';
import type { ValidationSample } from './trainingProtocol.js';

/** Where a ground-truth finding is (GroundTruthFinding's box and circle). */
export interface GroundTruthRegion {
  box?: GroundTruthBox | undefined;
  circle?: GroundTruthCircle | null;
}

/**
 * The lesions of an image's imported ground truth in a sample's own pixels, as `mammo evaluate`
 * counts them: one per finding, its box where it has one (CBIS-DDSM's COCO box, a TCIA outline's
 * box: a hit is a peak inside the box), else its circle (mini-MIAS). The sample is the image
 * resampled to `sample.rows` x `sample.columns` with pixel centres aligned (resizeBilinear), so a
 * box, in the continuous pixel frame, scales by the size ratio, and a circle, centred on a pixel
 * index, scales about the pixel centres. Null when a finding has neither (an image-level record).
 *
 * Reading the lesions back from the sample's mask instead is wrong for these: ellipses that touch
 * make one piece (CBIS-DDSM validation: 267 boxes read as 263 lesions), and a piece's enclosing
 * circle is not its box.
 *
 * @example
 * lesionsInSample(findings, { rows: 1360, columns: 800 }, { rows: 1292, columns: 760 });
 */
export function lesionsInSample(
  findings: readonly GroundTruthRegion[],
  image: Pick<Image, 'rows' | 'columns'>,
  sample: Pick<TrainingSample, 'rows' | 'columns'>,
): LesionRegion[] | null {
  const sx = sample.columns / image.columns;
  const sy = sample.rows / image.rows;
  const lesions: LesionRegion[] = [];
  for (const { box, circle } of findings) {
    if (box)
      lesions.push({
        left: box.left * sx,
        top: box.top * sy,
        width: box.width * sx,
        height: box.height * sy,
      });
    else if (circle)
      lesions.push({
        centerColumn: (circle.centerColumn + 0.5) * sx - 0.5,
        centerRow: (circle.centerRow + 0.5) * sy - 0.5,
        radius: (circle.radius * (sx + sy)) / 2,
      });
    else return null;
  }
  return lesions;
}

/** What {@link validationSamplesOf} reads of the workspace's studies. */
export interface GroundTruthSource {
  getImage(id: number): Pick<Image, 'rows' | 'columns'> | null;
  getGroundTruthOfImage(imageId: number): GroundTruthRegion[];
}

/**
 * The validation samples a training job scores: each sample's path and patient, and, for imported
 * ground truth, its lesions in the sample's pixels ({@link lesionsInSample}). A reader's correction
 * has no regions but its mask: its lesions are the mask's pieces (validateOnSamples).
 */
export function validationSamplesOf(
  samples: readonly TrainingSample[],
  studies: GroundTruthSource,
  resolvePath: (path: string) => string,
): ValidationSample[] {
  return samples.map((sample) => {
    const image = sample.labelSource === 'ground-truth' ? studies.getImage(sample.imageId) : null;
    const lesions = image
      ? lesionsInSample(studies.getGroundTruthOfImage(sample.imageId), image, sample)
      : null;
    return {
      path: resolvePath(sample.path),
      patientId: sample.patientId,
      ...(lesions ? { lesions } : {}),
    };
  });
}
