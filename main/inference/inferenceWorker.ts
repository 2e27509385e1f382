/**
 * worker_threads entry of the inference pool: decode, predict (every member of the model, maps
 * combined), find, encode, one image per request. The backend and the last model's members stay
 * loaded between requests.
 */
import { encode } from 'fast-png';
import { serveWorkerRequests } from '../common/serveWorkerRequests.js';
import { decodeImageFile } from '../imaging/decodeImage.js';
import { selectBackend } from '../ml/backend/selectBackend.js';
import { membersOf } from '../api/modelMembers.js';
import { memberAt } from './combineMemberMaps.js';
import { extractFindings } from './findings.js';
import { findMapPeaks, imageScoreOfPeaks } from './mapPeaks.js';
import type { InferenceProgress, InferenceRequest, InferenceResult } from './inferenceProtocol.js';
import { INFERENCE_DEFAULTS } from './inferenceProtocol.js';
import { loadModelMembers, type LoadedMember } from './modelRunner.js';
import { predictModelMap } from './predictModelMap.js';
import { effectiveSpacing } from './predictProbabilityMap.js';

let loaded: { key: string; members: LoadedMember[] } | undefined;
let backendName: string | undefined;

async function membersFor(request: InferenceRequest): Promise<{ members: LoadedMember[]; backend: string }> {
  const backend = (backendName ??= (await selectBackend({ prefer: request.backend ?? 'auto' })).backend);
  // By content: a card that pins other weights or another topology loads again (and is checked).
  const key = `${request.modelFolder}#${membersOf(request.card)
    .map((m) => `${m.weights.sha256}/${m.topologySha256 ?? ''}`)
    .join(',')}`;
  if (loaded?.key !== key) {
    for (const { model } of loaded?.members ?? []) model.dispose();
    loaded = undefined;
    loaded = { key, members: await loadModelMembers(request.modelFolder, request.card) };
  }
  return { members: loaded.members, backend };
}

serveWorkerRequests<InferenceRequest, InferenceResult, InferenceProgress>(async (request, reportProgress) => {
  const started = performance.now();
  const { members, backend } = await membersFor(request);
  const modelReady = performance.now();
  const image = await decodeImageFile(request.filePath);
  const decoded = performance.now();
  const spacing = effectiveSpacing(request.pixelSpacingMm, image.rows);
  const map = await predictModelMap(image.display, image.rows, image.columns, spacing.mm, members, {
    tileSize: request.tileSize,
    overlap: request.overlap,
    testTimeMirror: request.card.testTimeMirror === true,
    onProgress: (done, total) => reportProgress({ done, total }),
  });
  const predicted = performance.now();

  const peaks = findMapPeaks(map.probability, image.rows, image.columns, spacing.mm);
  const findings = extractFindings(map.probability, image.rows, image.columns, peaks, {
    threshold: request.card.thresholds.finding,
    spacingMm: spacing.mm,
    areaSpacingMm: request.pixelSpacingMm,
    minAreaMm2: INFERENCE_DEFAULTS.minFindingAreaMm2,
    maxFindings: request.maxFindings ?? INFERENCE_DEFAULTS.maxFindingsPerImage,
    // A single network's findings stay as they were; a multi-member model's say which member found them.
    ...(request.card.members
      ? {
          sourceAt: (pixel: number) => {
            const member = map.members[memberAt(map, pixel)]!;
            return { member: member.name, role: member.role };
          },
        }
      : {}),
  });
  const imageScore = imageScoreOfPeaks(peaks);
  const quantized = quantize(map.probability);
  const uncertainty = meanEntropy(map.probability, image.columns, map.region);
  const mapPng = encode({ width: image.columns, height: image.rows, data: quantized, channels: 1, depth: 8 });
  return {
    result: {
      rows: image.rows,
      columns: image.columns,
      mapPng,
      imageScore,
      findings,
      findingThreshold: request.card.thresholds.finding,
      uncertainty,
      backend,
      spacingAssumed: spacing.assumed,
      timingsMs: {
        decode: decoded - modelReady,
        inference: predicted - decoded,
        total: performance.now() - started,
      },
    },
    transfer: [mapPng.buffer as ArrayBuffer],
  };
});

/**
 * The map as 8-bit levels (255 = 1.0). A plain loop: `Uint8Array.from(map, fn)` goes through the
 * iterator protocol and took 3.3 s for one 13.6-megapixel FFDM map, against 0.16 s here.
 */
function quantize(probability: Float32Array): Uint8Array {
  const levels = new Uint8Array(probability.length);
  for (let i = 0; i < probability.length; i++) levels[i] = Math.round(probability[i]! * 255);
  return levels;
}

/** Mean binary entropy (bits) of the map over the breast region: how unsure the model is about this image. */
function meanEntropy(
  probability: Float32Array,
  columns: number,
  region: { top: number; left: number; rows: number; columns: number },
): number {
  let sum = 0;
  for (let r = region.top; r < region.top + region.rows; r++) {
    for (let c = region.left; c < region.left + region.columns; c++) {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, probability[r * columns + c]!));
      sum -= p * Math.log2(p) + (1 - p) * Math.log2(1 - p);
    }
  }
  return sum / Math.max(1, region.rows * region.columns);
}
