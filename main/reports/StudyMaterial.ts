import { existsSync, readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import type { Annotation } from '../api/annotations.js';
import type { Image, StudyDetail } from '../api/domain.js';
import type { Prediction } from '../api/predictions.js';
import { AnnotationRepository } from '../db/AnnotationRepository.js';
import { PredictionRepository } from '../db/PredictionRepository.js';
import { StudyRepository } from '../db/StudyRepository.js';
import { decodeImageFile } from '../imaging/decodeImage.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import type { Workspace } from '../workspace/Workspace.js';

/** One displayable image with the reader's final label and the AI's prediction it was judged against. */
export interface ImageMaterial {
  image: Image;
  /** The newest saved annotation version (the final label), or null. */
  annotation: Annotation | null;
  /** The prediction of the annotation's model, else the current model's, else the newest one. */
  prediction: Prediction | null;
}

export interface StudyMaterialSet {
  detail: StudyDetail;
  images: ImageMaterial[];
}

/** Reads what the reports and exports are made of: study, final masks, predictions and pixels. */
export class StudyMaterial {
  private readonly studies: StudyRepository;
  private readonly annotations: AnnotationRepository;
  private readonly predictions: PredictionRepository;

  constructor(
    private readonly workspace: Workspace,
    private readonly registry: ModelRegistry,
  ) {
    this.studies = new StudyRepository(workspace.db);
    this.annotations = new AnnotationRepository(workspace.db);
    this.predictions = new PredictionRepository(workspace.db);
  }

  load(studyId: number): StudyMaterialSet {
    const detail = this.studies.getStudyDetail(studyId);
    if (!detail) throw new Error(`study ${studyId} not found`);
    const images = detail.images
      .filter((image) => image.forDisplay)
      .map((image) => {
        const annotation = this.annotations.list(image.id)[0] ?? null;
        return { image, annotation, prediction: this.predictionFor(image.id, annotation?.modelId ?? null) };
      });
    return { detail, images };
  }

  /** The saved mask, 1 byte per pixel, 255 inside. */
  mask(annotation: Annotation, image: Image): Uint8Array {
    return this.grayPng(annotation.maskPath, image, 'mask');
  }

  /** The probability map, 1 byte per pixel, 255 = probability 1. */
  probabilityMap(prediction: Prediction, image: Image): Uint8Array {
    return this.grayPng(prediction.mapPath, image, 'probability map');
  }

  /** The 8-bit display image (VOI applied). */
  async display(image: Image): Promise<Uint8Array> {
    return (await decodeImageFile(this.workspace.resolvePath(image.path))).display;
  }

  private predictionFor(imageId: number, preferred: string | null): Prediction | null {
    for (const modelId of [preferred, this.registry.current()?.id ?? null]) {
      const found = modelId ? this.predictions.find(imageId, modelId) : null;
      if (found) return found;
    }
    const newest = this.workspace.db
      .prepare(
        'SELECT model_id AS modelId FROM predictions WHERE image_pk = ? ORDER BY created_at DESC LIMIT 1',
      )
      .get(imageId) as { modelId: string } | undefined;
    return newest ? this.predictions.find(imageId, newest.modelId) : null;
  }

  private grayPng(relativePath: string, image: Image, what: string): Uint8Array {
    const file = this.workspace.resolvePath(relativePath);
    if (!existsSync(file)) throw new Error(`${file}: the ${what} of image ${image.id} is missing`);
    const png = decode(readFileSync(file));
    if (png.width !== image.columns || png.height !== image.rows) {
      throw new Error(
        `${file}: ${png.width}x${png.height} does not match image ${image.id} (${image.columns}x${image.rows})`,
      );
    }
    const out = new Uint8Array(image.rows * image.columns);
    for (let i = 0; i < out.length; i++) out[i] = png.data[i * png.channels]!;
    return out;
  }
}
