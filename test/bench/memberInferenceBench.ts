import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { saveModelFolder, saveMultiMemberFolder } from '../../main/registry/modelFolder.js';
import { inFreshProcess, round } from './benchUtil.js';
import { timeStudy, writeFfdmStudy } from './inferenceBench.js';

/** The members of the benched model: the shipped network's shape at 0.6 mm, and the same at native 0.2 mm. */
const MEMBERS = [
  { name: 'mass', role: 'mass', inputPixelSpacingMm: 0.6 },
  { name: 'calcification', role: 'calcification', inputPixelSpacingMm: 0.2 },
] as const;

/**
 * A 4-view FFDM study (the inference bench's) through a two-member model, one worker: wall time,
 * peak RSS and CPU time of a warm study, against the 15 s / 1.5 GB targets, and the mass member
 * alone as a single-network model in the same run (in a fresh process, see runMemberStudy).
 * Untrained weights: timing only.
 */
export async function memberInferenceBench(): Promise<Record<string, unknown>> {
  await selectBackend({ prefer: 'wasm' });
  const modelsDir = mkdtempSync(join(tmpdir(), 'mammo-bench-members-'));
  const studyDir = mkdtempSync(join(tmpdir(), 'mammo-ffdm-'));
  try {
    const networks = MEMBERS.map(() => createDensePredictionModel({ widthMultiplier: 0.25 }));
    await saveMultiMemberFolder(
      MEMBERS.map((member, i) => ({
        ...member,
        model: networks[i]!,
        architecture: 'scuccimarra-3.9.4.01',
        widthMultiplier: 0.25,
        normalisation: { offset: 127, scale: 255 },
      })),
      join(modelsDir, 'bench-two-scale'),
      {
        id: 'bench-two-scale',
        parentId: null,
        createdAt: new Date().toISOString(),
        trainingData: { description: 'untrained, for timing', images: 0, patients: 0 },
        validation: null,
        thresholds: { image: 0.5, finding: 0.5 },
      },
    );
    // The baseline in the same run (same load): the mass member alone, as a single-network model.
    await saveModelFolder(networks[0]!, join(modelsDir, 'bench-mass-only'), {
      id: 'bench-mass-only',
      parentId: null,
      createdAt: new Date(0).toISOString(),
      architecture: 'scuccimarra-3.9.4.01',
      widthMultiplier: 0.25,
      inputPixelSpacingMm: MEMBERS[0].inputPixelSpacingMm,
      normalisation: { offset: 127, scale: 255 },
      trainingData: { description: 'untrained, for timing', images: 0, patients: 0 },
      validation: null,
      thresholds: { image: 0.5, finding: 0.5 },
    });
    for (const network of networks) network.dispose();
    writeFfdmStudy(studyDir);
    return {
      members: MEMBERS.map((m) => `${m.role} ${m.inputPixelSpacingMm} mm, width 0.25`),
      ...(await inFreshProcess<Record<string, unknown>>(import.meta.url, 'runMemberStudy', {
        modelsDir,
        studyDir,
      })),
      targetSeconds: 15,
      targetPeakRssMB: 1536,
      loadAverage1m: round(loadavg()[0]!, 2),
    };
  } finally {
    rmSync(studyDir, { recursive: true, force: true });
    rmSync(modelsDir, { recursive: true, force: true });
  }
}

/**
 * The FFDM study in `studyDir` imported into a new workspace and analysed by the two-member model
 * (cold, then warm) and by the mass member alone, one worker. Meant to run in a fresh process
 * (inFreshProcess): writing the study's DICOM files in the same process would add to the peak.
 */
export async function runMemberStudy(options: {
  modelsDir: string;
  studyDir: string;
}): Promise<Record<string, unknown>> {
  const workspace = mkdtempSync(join(tmpdir(), 'mammo-bench-'));
  try {
    const backend = MammoBackend.open(workspace, {
      shippedModelsDir: options.modelsDir,
      analysis: { workers: 1, backend: 'wasm' },
    });
    try {
      const { studies } = await backend.importFiles({ paths: [options.studyDir], format: 'dicom' });
      const studyId = studies[0]!.id;
      const study = (modelId: string) => () => backend.analyzeStudy({ studyId, modelId, force: true });
      const cold = await timeStudy(study('bench-two-scale'));
      const warm = await timeStudy(study('bench-two-scale'));
      const analysis = await backend.analyzeStudy({ studyId, modelId: 'bench-two-scale' });
      await study('bench-mass-only')(); // loads the baseline into the worker
      const massOnly = await timeStudy(study('bench-mass-only'));
      return {
        ffdm4View1Worker: { ...warm, coldSeconds: cold.seconds, coldPeakRssMB: cold.peakRssMB },
        inferenceMsPerView: analysis.predictions.map((p) => round(p.timingsMs.inference)),
        massMemberAlone: massOnly,
        slowdownAgainstMassMemberAlone: round(warm.seconds / massOnly.seconds, 2),
      };
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
