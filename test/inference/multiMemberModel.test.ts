import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membersOf } from '../../main/api/modelMembers.js';
import type { ModelCard } from '../../main/api/models.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { INFERENCE_DEFAULTS, type InferenceResult } from '../../main/inference/inferenceProtocol.js';
import { loadSegmentationModel, mirrorAveraged, tileRunnerFor } from '../../main/inference/modelRunner.js';
import { predictProbabilityMap } from '../../main/inference/predictProbabilityMap.js';
import { evaluateMiasFolder } from '../../main/evaluation/evaluateMiasFolder.js';
import { readModelCard } from '../../main/registry/modelFolder.js';
import { DEFAULT_MODEL_ID, DEFAULT_TRAINING_CONFIG } from '../../main/training/defaultModelRecipe.js';
import { editTopology } from '../helpers/modelFiles.js';
import { MAMMO_BIN, MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel, saveTinyMultiMemberModel, tinyNetwork } from '../helpers/tinyModel.js';
import { useWasm } from '../ml/mlTestUtil.js';

/** mini-MIAS scans are 0.2 mm per pixel: the calcification member reads them at native spacing. */
const MIAS_SPACING: [number, number] = [0.2, 0.2];
const SCAN = join(MIAS_FIXTURE, 'images', 'mdb001.png');
const MASS_SPACING = 0.6;
const SHIPPED_MODEL = DEFAULT_MODEL_ID;
const CALC_SPACING = 0.2;

const levels = (result: InferenceResult): Uint8Array => {
  const png = decode(result.mapPng);
  expect([png.width, png.height, png.channels]).toEqual([result.columns, result.rows, 1]);
  return png.data as Uint8Array;
};

describe('a model of two members at two scales', () => {
  const tempDir = useTempDir();
  let shipped: string;
  let backend: MammoBackend;
  let twoScale: ModelCard;

  beforeAll(async () => {
    await useWasm();
    shipped = mkdtempSync(join(tmpdir(), 'mammo-members-'));
    // The same two networks are saved alone (the outside reference: today's single-network path)
    // and as the members of one model. Raised so the maps have findings; their seeds differ, so
    // each member wins somewhere.
    const mass = tinyNetwork({ seed: 11, logitBias: 2 });
    const calcification = tinyNetwork({ seed: 12, logitBias: 2 });
    await saveTinyModel(shipped, 'solo-mass', { network: mass, inputPixelSpacingMm: MASS_SPACING });
    await saveTinyModel(shipped, 'solo-calc', {
      network: calcification,
      inputPixelSpacingMm: CALC_SPACING,
      dtype: 'float16',
    });
    twoScale = await saveTinyMultiMemberModel(shipped, 'two-scale', [
      { name: 'mass', role: 'mass', network: mass, inputPixelSpacingMm: MASS_SPACING },
      {
        name: 'calc',
        role: 'calcification',
        network: calcification,
        inputPixelSpacingMm: CALC_SPACING,
        dtype: 'float16',
      },
    ]);
    mass.dispose();
    calcification.dispose();
    backend = MammoBackend.open(mkdtempSync(join(tmpdir(), 'mammo-members-ws-')), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('writes a card whose top level repeats the first member, and reads it back', () => {
    const card = readModelCard(join(shipped, 'two-scale'));
    expect(card).toEqual(twoScale);
    expect(card.combination).toBe('max');
    expect(
      card.members!.map((m) => [m.name, m.role, m.inputPixelSpacingMm, m.topology, m.weights.dtype]),
    ).toEqual([
      ['mass', 'mass', 0.6, 'model.json', 'float32'],
      ['calc', 'calcification', 0.2, 'calc.model.json', 'float16'],
    ]);
    expect(card.weights).toEqual(card.members![0]!.weights);
    expect(card.inputPixelSpacingMm).toBe(0.6);
    // The calcification member's weights are its own file (float16: half the float32 member's bytes).
    expect(card.members![1]!.weights.bytes * 2).toBe(card.members![0]!.weights.bytes);
  });

  it("combines the members' maps per pixel by maximum, each member at its own spacing", async () => {
    const alone = {
      mass: await backend.analysis.predictFile(SCAN, MIAS_SPACING, { modelId: 'solo-mass' }),
      calc: await backend.analysis.predictFile(SCAN, MIAS_SPACING, { modelId: 'solo-calc' }),
    };
    const progress: { done: number; total: number }[] = [];
    const combined = await backend.analysis.predictFile(SCAN, MIAS_SPACING, {
      modelId: 'two-scale',
      onProgress: ({ done, total }) => progress.push({ done, total }),
    });
    const [a, b, c] = [levels(alone.mass), levels(alone.calc), levels(combined)];
    // 8-bit levels round monotonically, so the maximum of the two quantised maps is exact.
    let mismatches = 0;
    let massWins = 0;
    let calcWins = 0;
    for (let i = 0; i < c.length; i++) {
      if (c[i] !== Math.max(a[i]!, b[i]!)) mismatches++;
      if (a[i]! > b[i]!) massWins++;
      if (b[i]! > a[i]!) calcWins++;
    }
    expect(mismatches).toBe(0);
    // A combination that ignored either member would not be caught otherwise.
    expect(massWins).toBeGreaterThan(c.length / 100);
    expect(calcWins).toBeGreaterThan(c.length / 100);

    // Smoothing is linear and monotone, so the combined score is at least each member's.
    expect(combined.imageScore).toBeGreaterThanOrEqual(
      Math.max(alone.mass.imageScore, alone.calc.imageScore) - 1e-6,
    );

    // Each finding names the member whose map reaches the finding's maximum inside its outline.
    expect(combined.findings.length).toBeGreaterThan(0);
    const roles = new Set<string>();
    for (const finding of combined.findings) {
      expect(finding.source).toBeDefined();
      const { member, role } = finding.source!;
      roles.add(role);
      expect(role).toBe(member === 'mass' ? 'mass' : 'calcification');
      const own = member === 'mass' ? a : b;
      const { top, left, bottom, right } = finding.bounds;
      let best = 0;
      for (let r = top; r <= bottom; r++)
        for (let col = left; col <= right; col++) best = Math.max(best, own[r * combined.columns + col]!);
      expect(best).toBe(Math.round(finding.maxProbability * 255));
    }
    expect(alone.mass.findings.every((f) => f.source === undefined)).toBe(true);

    // Progress runs over both members' tiles and reaches its total only at the end.
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(progress.slice(0, -1).every((p) => p.done < p.total)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((x, y) => x - y));
  });

  it('mammo evaluate measures the combined map', async () => {
    const evaluate = (modelId: string) =>
      evaluateMiasFolder(backend.analysis, {
        imagesDir: MIAS_FIXTURE,
        annotationsFile: join(MIAS_FIXTURE, 'annotations.csv'),
        model: backend.registry.get(modelId)!,
        limit: 2,
        bootstrapReplicates: 10,
      });
    const combined = await evaluate('two-scale');
    const mass = await evaluate('solo-mass');
    const calc = await evaluate('solo-calc');
    expect(combined.imageScores.map((s) => s.image)).toEqual(['mdb001', 'mdb002']);
    combined.imageScores.forEach(({ score }, i) => {
      // The maximum of the members' maps scores at least as high as either member alone.
      expect(score).toBeGreaterThanOrEqual(
        Math.max(mass.imageScores[i]!.score, calc.imageScores[i]!.score) - 1e-6,
      );
    });
    // Strictly above one member somewhere, or the evaluation could be reading that member alone.
    expect(combined.imageScores.some(({ score }, i) => score > mass.imageScores[i]!.score + 1e-6)).toBe(true);
    expect(combined.imageScores.some(({ score }, i) => score > calc.imageScores[i]!.score + 1e-6)).toBe(true);
  });

  it('refuses a model whose member weights were tampered with, naming the folder and the member', async () => {
    const folder = join(backend.registry.workspaceModelsDir, 'two-scale-bad');
    cpSync(join(shipped, 'two-scale'), folder, { recursive: true });
    const card = { ...readModelCard(folder), id: 'two-scale-bad' };
    writeFileSync(join(folder, 'card.json'), JSON.stringify(card));
    const weights = readFileSync(join(folder, 'calc.weights.bin'));
    weights[100] = weights[100]! ^ 0xff;
    writeFileSync(join(folder, 'calc.weights.bin'), weights);
    backend.registry.addCandidate(card);
    const refusal = backend.analysis.predictFile(SCAN, MIAS_SPACING, { modelId: 'two-scale-bad' });
    await expect(refusal).rejects.toThrow(
      `${folder}: member calc (calcification): calc.weights.bin does not match the sha256 in its card (corrupt or replaced)`,
    );
    await refusal.catch((error: Error) => expect(error.message).not.toContain('\n'));
  });

  it("refuses a model whose member's model.json was edited (weights untouched), naming the folder and the member", async () => {
    const folder = join(backend.registry.workspaceModelsDir, 'two-scale-edited');
    cpSync(join(shipped, 'two-scale'), folder, { recursive: true });
    const card = { ...readModelCard(folder), id: 'two-scale-edited' };
    editTopology(folder, 'calc.model.json');
    backend.registry.addCandidate(card);
    await expect(
      backend.analysis.predictFile(SCAN, MIAS_SPACING, { modelId: 'two-scale-edited' }),
    ).rejects.toThrow(
      `${folder}: member calc (calcification): calc.model.json does not match the sha256 in its card (corrupt or replaced)`,
    );
  });

  it('cancels a running multi-member analysis', async () => {
    const controller = new AbortController();
    const running = backend.analysis.predictFile(SCAN, MIAS_SPACING, {
      modelId: 'two-scale',
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(running).rejects.toThrow(/abort/i);
    const after = await backend.analysis.predictFile(SCAN, MIAS_SPACING, { modelId: 'solo-mass' });
    expect(after.rows).toBe(1024);
  });

  it('mammo models list names each member, its role and spacing', () => {
    const run = spawnSync(process.execPath, [MAMMO_BIN, '--workspace', tempDir(), 'models', 'list'], {
      encoding: 'utf8',
      env: { ...process.env, MAMMO_MODELS_DIR: shipped },
    });
    expect(run.status, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.includes('two-scale'));
    expect(line).toMatch(
      /\tmembers mass \(mass, 0\.6 mm\), calc \(calcification, 0\.2 mm\), combined by max$/,
    );
    expect(run.stdout.split('\n').find((l) => l.includes('solo-mass'))).not.toContain('members');
  });

  it('refuses to fine-tune a multi-member model, in one line naming its members', async () => {
    backend.registry.promote('two-scale');
    const refusal =
      'two-scale is made of 2 members (mass: mass at 0.6 mm, calc: calcification at 0.2 mm) and fine-tuning a multi-member model is not supported yet: promote a single-network model to fine-tune it';
    expect((await backend.planFineTune({})).refusal).toBe(refusal);
    await expect(backend.startFineTune({})).rejects.toThrow(refusal);
    expect(backend.fineTunes.list()).toEqual([]);
    backend.registry.promote('solo-mass');
    expect((await backend.planFineTune({})).refusal).toMatch(/^nothing to learn/);
  });

  it('refuses cards whose members are inconsistent, naming the field', () => {
    const write = (mutate: (card: Record<string, unknown> & ModelCard) => void): string => {
      const folder = join(tempDir(), 'two-scale');
      cpSync(join(shipped, 'two-scale'), folder, { recursive: true });
      const card = structuredClone(twoScale) as Record<string, unknown> & ModelCard;
      mutate(card);
      writeFileSync(join(folder, 'card.json'), JSON.stringify(card));
      return folder;
    };
    const refused = (mutate: (card: Record<string, unknown> & ModelCard) => void) => {
      const folder = write(mutate);
      try {
        readModelCard(folder);
      } catch (error) {
        return (error as Error).message.replace(`${folder}: `, '');
      }
      return 'accepted';
    };
    expect(refused(() => undefined)).toBe('accepted');
    expect(refused((card) => (card.inputPixelSpacingMm = 0.2))).toMatch(
      /^invalid card.json \(inputPixelSpacingMm: differs from the first member's \(mass\)/,
    );
    expect(refused((card) => (card.members![1]!.name = 'mass'))).toMatch(
      /members.1.name: mass is named twice/,
    );
    expect(refused((card) => (card.members![1]!.weights.file = '../other.bin'))).toMatch(
      /members.1.weights.file: a relative path inside the model folder/,
    );
    expect(refused((card) => (card.members![1]!.role = 'cyst' as never))).toMatch(/members.1.role/);
    expect(refused((card) => delete card.combination)).toMatch(/combination: a card with members says how/);
    expect(refused((card) => (card.members = card.members!.slice(0, 1)))).toMatch(/at least two members/);
  });
});

describe('the shipped single-network model', () => {
  it('still loads as one network and gives the map of the single-network path, pixel for pixel', async () => {
    await useWasm();
    const folder = join(REPO_ROOT, 'models', SHIPPED_MODEL);
    const card = readModelCard(folder);
    expect(card.members).toBeUndefined();
    expect(membersOf(card)).toEqual([
      expect.objectContaining({
        name: SHIPPED_MODEL,
        role: 'any',
        // The recipe that trained it (npm run train:default) set the spacing its card records.
        inputPixelSpacingMm: DEFAULT_TRAINING_CONFIG.modelSpacingMm,
        weights: card.weights,
      }),
    ]);
    // The reference: the network run directly, as inference did before models had members (with
    // the card's flip test-time augmentation, which the shipped card asks for).
    expect(card.testTimeMirror).toBe(true);
    const model = await loadSegmentationModel(folder, card);
    const image = await decodeImageFile(SCAN);
    const reference = await predictProbabilityMap(
      image.display,
      image.rows,
      image.columns,
      0.2,
      mirrorAveraged(tileRunnerFor(model)),
      {
        modelSpacingMm: card.inputPixelSpacingMm,
        normalisation: card.normalisation,
        tileSize: INFERENCE_DEFAULTS.tileSize,
        overlap: INFERENCE_DEFAULTS.overlap,
      },
    );
    model.dispose();

    const backend = MammoBackend.open(mkdtempSync(join(tmpdir(), 'mammo-members-ws-')), {
      shippedModelsDir: join(REPO_ROOT, 'models'),
      analysis: { workers: 1, backend: 'wasm' },
    });
    try {
      const result = await backend.analysis.predictFile(SCAN, MIAS_SPACING, { modelId: SHIPPED_MODEL });
      const map = levels(result);
      let mismatches = 0;
      for (let i = 0; i < map.length; i++)
        if (map[i] !== Math.round(reference.probability[i]! * 255)) mismatches++;
      expect(mismatches).toBe(0);
      expect(result.findings.every((f) => f.source === undefined)).toBe(true);
    } finally {
      await backend.close();
    }
  });
});
