import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Prediction, StudyAnalysis } from '../api/predictions.js';
import type { MammoBackend } from '../backend/MammoBackend.js';
import { StudyRepository } from '../db/StudyRepository.js';
import type { Command } from './mammo.js';
import { progressLine } from './progressLine.js';
import { UsageError } from './UsageError.js';

type Target = { kind: 'image'; id: number } | { kind: 'study'; id: number } | { kind: 'file'; path: string };

/**
 * `mammo analyze TARGET [--model ID] [--force] [--json]`. TARGET is `image:N` (or a bare N),
 * `study:N`, a SOP Instance or Study Instance UID, or the path of a file.
 */
export const analyzeCommand: Command = async ({ backend, args, json, stdout }) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('give one image id, study:ID, UID or file');
  const target = resolveTarget(backend, positionals[0]!);
  const modelId = values.model;
  const progress = progressLine('analysing tiles');
  const onProgress = { update: (done: number, total: number) => !json && progress.update(done, total) };
  const unsubscribe = backend.subscribe('mammo:analysis.progress', ({ done, total }) =>
    onProgress.update(done, total),
  );
  try {
    const base = { ...(modelId ? { modelId } : {}), force: values.force === true };
    if (target.kind === 'study') {
      const analysis = await backend.analyzeStudy({ studyId: target.id, ...base });
      progress.end();
      if (json)
        stdout(
          JSON.stringify({
            ...analysis,
            mapFiles: analysis.predictions.map((p) => backend.workspace.resolvePath(p.mapPath)),
          }),
        );
      else printStudy(analysis, backend, stdout);
    } else {
      const prediction =
        target.kind === 'image'
          ? await backend.analyzeImage({ imageId: target.id, ...base })
          : await backend.analysis.analyzeFile(target.path, {
              ...(modelId ? { modelId } : {}),
              onProgress: ({ done, total }) => onProgress.update(done, total),
            });
      progress.end();
      if (json)
        stdout(JSON.stringify({ ...prediction, mapFile: backend.workspace.resolvePath(prediction.mapPath) }));
      else printPrediction(prediction, backend, stdout);
    }
  } finally {
    unsubscribe();
  }
  return 0;
};

function resolveTarget(backend: MammoBackend, argument: string): Target {
  const prefixed = /^(image|study):(\d+)$/.exec(argument);
  if (prefixed) return { kind: prefixed[1] as 'image' | 'study', id: Number(prefixed[2]) };
  if (/^\d+$/.test(argument)) return { kind: 'image', id: Number(argument) };
  if (existsSync(argument) && statSync(argument).isFile()) return { kind: 'file', path: resolve(argument) };
  const studies = new StudyRepository(backend.workspace.db);
  const image = studies.findImageBySopInstanceUid(argument);
  if (image) return { kind: 'image', id: image.id };
  const studyId = studies.findStudyIdByUid(argument);
  if (studyId !== null) return { kind: 'study', id: studyId };
  throw new UsageError(`${argument}: not an image id, study:ID, known UID or existing file`);
}

function printPrediction(p: Prediction, backend: MammoBackend, stdout: (line: string) => void): void {
  stdout(
    `model ${p.modelId} on ${p.backend}: image score ${p.imageScore.toFixed(3)}${p.spacingAssumed ? ' (pixel spacing unknown: assumed)' : ''}`,
  );
  stdout(`  ${p.findings.length} findings at threshold ${p.findingThreshold}`);
  for (const f of p.findings) {
    stdout(
      `  #${f.index} max ${f.maxProbability.toFixed(3)} mean ${f.meanProbability.toFixed(3)} at (row ${Math.round(f.centroidRow)}, col ${Math.round(f.centroidColumn)})` +
        (f.areaMm2 === null ? ` ${f.areaPixels} px` : ` ${f.areaMm2.toFixed(1)} mm²`),
    );
  }
  stdout(`  map: ${backend.workspace.resolvePath(p.mapPath)}`);
}

function printStudy(a: StudyAnalysis, backend: MammoBackend, stdout: (line: string) => void): void {
  const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(3));
  stdout(
    `study ${a.studyId}: score ${fmt(a.studyScore)} (right ${fmt(a.breastScores.R)}, left ${fmt(a.breastScores.L)}), model ${a.modelId} on ${a.backend}`,
  );
  for (const p of a.predictions) {
    stdout(`image ${p.imageId}:`);
    printPrediction(p, backend, (line) => stdout(`  ${line}`));
  }
}
