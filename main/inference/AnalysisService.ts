import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelVersion } from '../api/models.js';
import type { AnalysisProgress, Prediction, StudyAnalysis } from '../api/predictions.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { sha256Hex } from '../common/sha256.js';
import { WorkerPool } from '../common/WorkerPool.js';
import { PredictionRepository } from '../db/PredictionRepository.js';
import { StudyRepository } from '../db/StudyRepository.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { InferenceProgress, InferenceRequest, InferenceResult } from './inferenceProtocol.js';
import { INFERENCE_DEFAULTS } from './inferenceProtocol.js';

export interface AnalyzeOptions {
  /** A model version id; the current one by default. */
  modelId?: string;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** Recompute even when a cached prediction exists. */
  force?: boolean;
}

export interface AnalysisServiceOptions {
  /** Worker threads; each runs one image on one core. Default {@link defaultInferenceWorkers}. */
  workers?: number;
  /** Backend preference for the workers ('auto', 'wasm', ...). */
  backend?: string;
  tileSize?: number;
  overlap?: number;
  /** Counter of running analyses (shared with the trainer, which yields while it is above 0). */
  activity?: Int32Array;
}

/**
 * Inference workers for a machine: one core is always left to the rest of the app. wasm runs
 * single-threaded in Node, so a second worker only pays when a core is idle for it. On two cores the
 * other one decodes and renders the images being read (and runs the trainer), and there a second
 * worker measured no faster (the same CPU seconds, waiting for a core) while adding about 380 MB
 * (its own wasm heap, model and full-resolution buffers): `npm run bench -- inference`.
 */
export function defaultInferenceWorkers(cores: number): number {
  return Math.max(1, Math.min(2, cores - 1));
}

function workerUrl(): URL {
  return new URL(`./inferenceWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}

/**
 * Whole-scan prediction for imported images: runs in worker threads, caches each map per
 * (image, model version), and scores images, breasts and studies.
 */
export class AnalysisService {
  private readonly pool: WorkerPool<InferenceRequest, InferenceResult, InferenceProgress>;
  private readonly predictions: PredictionRepository;
  private readonly studies: StudyRepository;

  constructor(
    private readonly workspace: Workspace,
    private readonly registry: ModelRegistry,
    private readonly options: AnalysisServiceOptions = {},
  ) {
    this.pool = new WorkerPool(
      workerUrl(),
      Math.max(1, options.workers ?? defaultInferenceWorkers(cpus().length)),
      'inference',
    );
    this.predictions = new PredictionRepository(workspace.db);
    this.studies = new StudyRepository(workspace.db);
  }

  /** Maximum number of inference worker threads. */
  get workers(): number {
    return this.pool.size;
  }

  /** The model version an analysis would use. */
  resolveModel(modelId?: string): ModelVersion {
    const version = modelId ? this.registry.get(modelId) : this.registry.current();
    if (!version)
      throw new Error(
        modelId ? `model ${modelId} not found` : 'no current model: install or train one first',
      );
    return version;
  }

  async analyzeImage(imageId: number, options: AnalyzeOptions = {}): Promise<Prediction> {
    const image = this.studies.getImage(imageId);
    if (!image) throw new Error(`image ${imageId} not found`);
    const version = this.resolveModel(options.modelId);
    if (!options.force) {
      const cached = this.predictions.find(imageId, version.id);
      if (cached) return cached;
    }
    const result = await this.run(this.workspace.resolvePath(image.path), image.pixelSpacingMm, version, {
      ...options,
      onProgress: options.onProgress ? (p) => options.onProgress!({ imageId, ...p }) : undefined,
    });
    const mapPath = this.writeMap(join('predictions', version.id, `${image.sha256}.png`), result.mapPng);
    const prediction = toPrediction(imageId, version.id, mapPath, result);
    this.predictions.save(prediction);
    return prediction;
  }

  /** Analyses the study's display images (in parallel, as many as there are workers). */
  async analyzeStudy(studyId: number, options: AnalyzeOptions = {}): Promise<StudyAnalysis> {
    const detail = this.studies.getStudyDetail(studyId);
    if (!detail) throw new Error(`study ${studyId} not found`);
    const version = this.resolveModel(options.modelId);
    const images = detail.images.filter((image) => image.forDisplay);
    const predictions = await Promise.all(
      images.map((image) => this.analyzeImage(image.id, { ...options, modelId: version.id })),
    );
    const scoreOf = (laterality: 'L' | 'R'): number | null => {
      const scores = predictions
        .filter((_, i) => images[i]!.laterality === laterality)
        .map((p) => p.imageScore);
      return scores.length ? Math.max(...scores) : null;
    };
    return {
      studyId,
      modelId: version.id,
      backend: predictions[0]?.backend ?? 'none',
      predictions,
      breastScores: { L: scoreOf('L'), R: scoreOf('R') },
      studyScore: predictions.length ? Math.max(...predictions.map((p) => p.imageScore)) : null,
    };
  }

  /** Analyses a file that is not in the workspace; its map is written under predictions/files/. */
  async analyzeFile(filePath: string, options: AnalyzeOptions = {}): Promise<Prediction> {
    const version = this.resolveModel(options.modelId);
    const result = await this.predictFile(filePath, null, options);
    const mapPath = this.writeMap(
      join('predictions', 'files', `${sha256Hex(filePath).slice(0, 16)}-${version.id}.png`),
      result.mapPng,
    );
    return toPrediction(0, version.id, mapPath, result);
  }

  /** Runs the model on any file and returns the raw result, storing nothing (evaluation uses this). */
  predictFile(
    filePath: string,
    pixelSpacingMm: [number, number] | null,
    options: AnalyzeOptions = {},
  ): Promise<InferenceResult> {
    return this.run(filePath, pixelSpacingMm, this.resolveModel(options.modelId), {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: options.onProgress ? (p) => options.onProgress!({ imageId: 0, ...p }) : undefined,
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private run(
    filePath: string,
    pixelSpacingMm: [number, number] | null,
    version: ModelVersion,
    options: { signal?: AbortSignal; onProgress?: ((p: InferenceProgress) => void) | undefined },
  ): Promise<InferenceResult> {
    const request: InferenceRequest = {
      filePath,
      pixelSpacingMm,
      modelFolder: this.registry.folderOf(version),
      card: version.card,
      tileSize: this.options.tileSize ?? INFERENCE_DEFAULTS.tileSize,
      overlap: this.options.overlap ?? INFERENCE_DEFAULTS.overlap,
      ...(this.options.backend ? { backend: this.options.backend } : {}),
    };
    const activity = this.options.activity;
    if (activity) Atomics.add(activity, 0, 1);
    return this.pool
      .run(request, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })
      .finally(() => {
        if (activity) Atomics.sub(activity, 0, 1);
      });
  }

  private writeMap(relativePath: string, png: Uint8Array): string {
    const absolute = this.workspace.resolvePath(relativePath);
    mkdirSync(join(absolute, '..'), { recursive: true });
    writeFileAtomic(absolute, png);
    return relativePath.split('\\').join('/');
  }
}

function toPrediction(
  imageId: number,
  modelId: string,
  mapPath: string,
  result: InferenceResult,
): Prediction {
  return {
    imageId,
    modelId,
    backend: result.backend,
    createdAt: new Date().toISOString(),
    imageScore: result.imageScore,
    findingThreshold: result.findingThreshold,
    uncertainty: result.uncertainty,
    findings: result.findings,
    mapPath,
    rows: result.rows,
    columns: result.columns,
    spacingAssumed: result.spacingAssumed,
    timingsMs: result.timingsMs,
  };
}
