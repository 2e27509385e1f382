import { API_EVENTS, type Unsubscribe } from '../../main/api/contract.js';
import type { Image } from '../../main/api/domain.js';
import type { ModelVersion } from '../../main/api/models.js';
import type { AnalysisProgress, Prediction, StudyAnalysis } from '../../main/api/predictions.js';
import type { ApiClient } from '../api/ApiClient.js';
import { MAP_CACHE_STUDIES } from './constants.js';
import { PreparedMap } from './PreparedMap.js';
import { messageOf } from '../common/messageOf.js';

/** One image's way through analysis: waiting for a worker, running (tiles), map loading, done. */
export type ImageAiStatus = 'queued' | 'analysing' | 'loading' | 'ready' | 'error';

export interface ImageAiState {
  imageId: number;
  status: ImageAiStatus;
  /** 0..1: tiles done while analysing, 1 from loading on. */
  progress: number;
  prediction: Prediction | null;
  /** Present when `ready` (dropped again for studies no longer on screen). */
  map: PreparedMap | null;
  error: string | null;
}

/** `unavailable`: no model is installed (nothing to run). */
export type StudyAiStatus = 'queued' | 'analysing' | 'ready' | 'unavailable' | 'error';

export interface StudyAiState {
  studyId: number;
  status: StudyAiStatus;
  /** The model version the analysis uses. */
  model: ModelVersion | null;
  /** Where inference ran (`wasm`, `tensorflow`, ...), once the first image is done. */
  backend: string | null;
  /** The study's display images, in the order they were requested. */
  imageIds: readonly number[];
  images: Readonly<Record<number, ImageAiState>>;
  /** Breast and case scores from the back end, when every image is done. */
  analysis: StudyAnalysis | null;
  /** 0..1 over the study's images. */
  progress: number;
  message: string | null;
}

interface Job {
  studyId: number;
  images: readonly Image[];
}

/**
 * The renderer's AI analyses: one study at a time, the most recently opened first. Each study's
 * images are analysed in parallel on the back end's workers (progress from
 * `mammo:analysis.progress`), then their probability maps are loaded and prepared for display.
 * States are immutable snapshots, so React reads them with `useSyncExternalStore`.
 *
 * @example
 * const ai = new StudyAnalysisService(client);
 * const stop = ai.subscribe((studyId) => console.log(ai.get(studyId)?.status));
 * ai.request(detail.study.id, detail.images); // idempotent while queued, running or done
 */
export class StudyAnalysisService {
  private readonly states = new Map<number, StudyAiState>();
  private readonly listeners = new Set<(studyId: number) => void>();
  private readonly studyOfImage = new Map<number, number>();
  private queue: Job[] = [];
  private running = false;
  private stopProgress: Unsubscribe | null = null;
  /** Studies whose maps are kept, most recent last. */
  private recent: number[] = [];

  constructor(private readonly client: ApiClient) {}

  get(studyId: number): StudyAiState | undefined {
    return this.states.get(studyId);
  }

  /** Listens to state changes; the listener gets the study that changed. */
  subscribe(listener: (studyId: number) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Asks for a study's analysis (its display images). Runs it unless it is queued, running, or
   * done with its maps in memory; a queued study moves to the front.
   */
  request(studyId: number, images: readonly Image[]): void {
    this.stopProgress ??= this.client.subscribe(API_EVENTS.analysisProgress, (p) => this.onProgress(p));
    this.recent = [...this.recent.filter((id) => id !== studyId), studyId];
    for (const stale of this.recent.slice(0, -MAP_CACHE_STUDIES)) this.dropMaps(stale);
    this.recent = this.recent.slice(-MAP_CACHE_STUDIES);

    const queued = this.queue.findIndex((job) => job.studyId === studyId);
    if (queued >= 0) {
      const [job] = this.queue.splice(queued, 1);
      this.queue.unshift(job!);
      return;
    }
    const current = this.states.get(studyId);
    if (current?.status === 'analysing') return;
    const mapsLoaded = current?.status === 'ready' && current.imageIds.every((id) => current.images[id]?.map);
    if (mapsLoaded) return;

    const display = images.filter((image) => image.forDisplay);
    for (const image of display) this.studyOfImage.set(image.id, studyId);
    this.put({
      studyId,
      status: 'queued',
      model: current?.model ?? null,
      backend: current?.backend ?? null,
      imageIds: display.map((image) => image.id),
      images: Object.fromEntries(display.map((image) => [image.id, queuedImage(image.id)])),
      analysis: current?.analysis ?? null,
      progress: 0,
      message: null,
    });
    this.queue.unshift({ studyId, images: display });
    void this.pump();
  }

  /** Stops listening to the back end (a later request listens again). */
  dispose(): void {
    this.stopProgress?.();
    this.stopProgress = null;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) await this.analyse(job);
    } finally {
      this.running = false;
    }
  }

  private async analyse({ studyId, images }: Job): Promise<void> {
    this.update(studyId, { status: 'analysing' });
    let current: ModelVersion | undefined;
    try {
      current = (await this.client.listModels({})).versions.find((version) => version.status === 'current');
    } catch (error) {
      this.update(studyId, { status: 'error', message: messageOf(error) });
      return;
    }
    const model = current;
    if (!model) {
      this.update(studyId, { status: 'unavailable', message: 'No AI model is installed.' });
      return;
    }
    this.update(studyId, { model });
    const done = await Promise.all(images.map((image) => this.analyseImage(studyId, image, model)));
    const failed = done.filter((ok) => !ok).length;
    if (failed) {
      this.update(studyId, { status: 'error', message: `${failed} of ${images.length} images failed` });
      return;
    }
    try {
      // Every image is cached by now: this only gathers the breast and case scores.
      const analysis = await this.client.analyzeStudy({ studyId, modelId: model.id });
      this.update(studyId, { status: 'ready', analysis, backend: analysis.backend });
    } catch (error) {
      this.update(studyId, { status: 'error', message: messageOf(error) });
    }
  }

  private async analyseImage(studyId: number, image: Image, model: ModelVersion): Promise<boolean> {
    try {
      const prediction = await this.client.analyzeImage({ imageId: image.id, modelId: model.id });
      this.updateImage(studyId, image.id, { status: 'loading', progress: 1, prediction });
      if (!this.states.get(studyId)?.backend) this.update(studyId, { backend: prediction.backend });
      const png = await this.client.fetchPredictionMap(image.id, model.id);
      const map = PreparedMap.decode(png, image.pixelSpacingMm, image.columns);
      this.updateImage(studyId, image.id, { status: 'ready', map });
      return true;
    } catch (error) {
      this.updateImage(studyId, image.id, { status: 'error', error: messageOf(error) });
      return false;
    }
  }

  private onProgress({ imageId, done, total }: AnalysisProgress): void {
    const studyId = this.studyOfImage.get(imageId);
    if (studyId === undefined) return;
    const image = this.states.get(studyId)?.images[imageId];
    if (!image || (image.status !== 'queued' && image.status !== 'analysing')) return;
    this.updateImage(studyId, imageId, { status: 'analysing', progress: total ? done / total : 0 });
  }

  /** Frees the maps of a study that left the screen; its scores stay. */
  private dropMaps(studyId: number): void {
    const state = this.states.get(studyId);
    if (!state || state.status === 'analysing' || state.status === 'queued') return;
    const images = Object.fromEntries(
      Object.entries(state.images).map(([id, image]) => [id, { ...image, map: null }]),
    );
    this.put({ ...state, images });
  }

  private update(studyId: number, patch: Partial<StudyAiState>): void {
    const state = this.states.get(studyId);
    if (state) this.put({ ...state, ...patch });
  }

  private updateImage(studyId: number, imageId: number, patch: Partial<ImageAiState>): void {
    const state = this.states.get(studyId);
    const image = state?.images[imageId];
    if (!state || !image) return;
    const images = { ...state.images, [imageId]: { ...image, ...patch } };
    const values = state.imageIds.map((id) => images[id]!);
    const progress = values.reduce((sum, v) => sum + v.progress, 0) / Math.max(1, values.length);
    this.put({ ...state, images, progress });
  }

  private put(state: StudyAiState): void {
    this.states.set(state.studyId, state);
    for (const listener of this.listeners) listener(state.studyId);
  }
}

function queuedImage(imageId: number): ImageAiState {
  return { imageId, status: 'queued', progress: 0, prediction: null, map: null, error: null };
}
