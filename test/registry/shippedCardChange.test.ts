import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelCard } from '../../main/api/models.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { sha256Hex } from '../../main/common/sha256.js';
import { predictionsDependOnChange } from '../../main/registry/cardChange.js';
import { ModelRegistry } from '../../main/registry/ModelRegistry.js';
import { Workspace } from '../../main/workspace/Workspace.js';
import { editTopology, sha256OfFile } from '../helpers/modelFiles.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

const ID = 'tiny-shipped';

/** Validation metrics as a card records them. */
const SOME_METRICS = {
  split: 'validation',
  imageAUC: 0.7,
  imageSensitivity: 0.8,
  imageSpecificity: 0.5,
  lesionSensitivityAt1FP: 0.64,
  pixelF1: 0.3,
  lesionIoU: 0.25,
  lesionDice: 0.4,
  images: 12,
};

/** A release's edit of the shipped card (card.json rewritten in the folder, weights untouched). */
function editShippedCard(shipped: string, edit: (card: ModelCard) => ModelCard): ModelCard {
  const file = join(shipped, ID, 'card.json');
  const card = edit(JSON.parse(readFileSync(file, 'utf8')) as ModelCard);
  writeFileSync(file, `${JSON.stringify(card, null, 2)}\n`);
  return card;
}

/** The model's cached predictions as stored: rows and the map files they point at. */
function cachedMaps(backend: MammoBackend): { file: string; findingThreshold: number }[] {
  const rows = backend.workspace.db
    .prepare('SELECT map_path, finding_threshold FROM predictions WHERE model_id = ? ORDER BY image_pk')
    .all(ID) as { map_path: string; finding_threshold: number }[];
  return rows.map((row) => ({
    file: backend.workspace.resolvePath(row.map_path),
    findingThreshold: row.finding_threshold,
  }));
}

/** A workspace that imported mini-MIAS and analysed one study with the shipped model (2 maps). */
async function analysedWorkspace(
  workspaceDir: string,
  shipped: string,
): Promise<{ studyId: number; maps: ReturnType<typeof cachedMaps> }> {
  const backend = MammoBackend.open(workspaceDir, { shippedModelsDir: shipped });
  const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
  const studyId = studies.find((study) => study.patientId === 'MIAS-001')!.id;
  await backend.analyzeStudy({ studyId });
  const maps = cachedMaps(backend);
  await backend.close();
  expect(maps).toHaveLength(2);
  for (const { file } of maps) expect(existsSync(file), file).toBe(true);
  return { studyId, maps };
}

function auditActions(backend: MammoBackend): { action: string; subject: string; details: string }[] {
  return backend.workspace.db
    .prepare(
      "SELECT action, subject, details_json AS details FROM audit_log WHERE action LIKE 'model.%' ORDER BY id",
    )
    .all() as { action: string; subject: string; details: string }[];
}

describe('a shipped model whose card a later release changes', () => {
  const tempDir = useTempDir();
  const shippedDirs: string[] = [];
  const shippedDir = async (): Promise<string> => {
    const dir = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    shippedDirs.push(dir);
    await saveTinyModel(dir, ID, { logitBias: 2 });
    return dir;
  };
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of shippedDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refreshes the registered card and drops the cached maps an inference field (threshold, mirror) made stale', async () => {
    const shipped = await shippedDir();
    const workspaceDir = tempDir();
    const { studyId, maps } = await analysedWorkspace(workspaceDir, shipped);
    expect(maps.map((m) => m.findingThreshold)).toEqual([0.2, 0.2]);
    const released = editShippedCard(shipped, (card) => ({
      ...card,
      thresholds: { image: 0.5, finding: 0.35 },
      testTimeMirror: true,
    }));

    const backend = MammoBackend.open(workspaceDir, { shippedModelsDir: shipped });
    expect(backend.registry.get(ID)).toMatchObject({ status: 'current', origin: 'shipped', card: released });
    expect(cachedMaps(backend)).toEqual([]);
    for (const { file } of maps) expect(existsSync(file), file).toBe(false);
    // The worklist no longer shows a score from the old card; a new analysis uses the new one.
    expect((await backend.listStudies()).find((study) => study.id === studyId)!.aiScore).toBeNull();
    const again = await backend.analyzeStudy({ studyId });
    expect(again.predictions.map((p) => p.findingThreshold)).toEqual([0.35, 0.35]);
    expect(
      auditActions(backend).map(({ action, subject, details }) => [action, subject, JSON.parse(details)]),
    ).toEqual([
      ['model.initial', ID, { previous: null }],
      ['model.cardChanged', ID, { droppedPredictions: 2 }],
    ]);
    // Once refreshed, the card is the shipped one: a later start changes nothing.
    expect(backend.registry.syncShipped()).toEqual({ registered: [], refreshed: [], problems: [] });
    await backend.close();
  });

  it('refreshes descriptive fields (metrics, notes, the image threshold) and keeps the cached maps', async () => {
    const shipped = await shippedDir();
    const workspaceDir = tempDir();
    const { maps } = await analysedWorkspace(workspaceDir, shipped);
    const released = editShippedCard(shipped, (card) => ({
      ...card,
      thresholds: { ...card.thresholds, image: 0.61 },
      notes: 're-measured on the final code',
      validation: SOME_METRICS,
    }));

    const backend = MammoBackend.open(workspaceDir, { shippedModelsDir: shipped });
    expect(backend.registry.get(ID)?.card).toEqual(released);
    expect(cachedMaps(backend)).toEqual(maps);
    for (const { file } of maps) expect(existsSync(file), file).toBe(true);
    expect(auditActions(backend).at(-1)).toMatchObject({ action: 'model.cardChanged', subject: ID });
    expect(JSON.parse(auditActions(backend).at(-1)!.details)).toEqual({ droppedPredictions: 0 });
    await backend.close();
  });

  it('refuses the same id with other weights: one line naming the folder, the registered version and its maps kept', async () => {
    const shipped = await shippedDir();
    const workspaceDir = tempDir();
    const { maps } = await analysedWorkspace(workspaceDir, shipped);
    const registeredCard = JSON.parse(readFileSync(join(shipped, ID, 'card.json'), 'utf8')) as ModelCard;
    rmSync(join(shipped, ID), { recursive: true });
    const replaced = await saveTinyModel(shipped, ID, { seed: 9, logitBias: 2 });
    expect(replaced.weights.sha256).not.toBe(registeredCard.weights.sha256);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const backend = MammoBackend.open(workspaceDir, { shippedModelsDir: shipped });
    expect(warn.mock.calls).toEqual([
      [
        `${join(shipped, ID)}: ships ${ID} with other weights than the version this workspace registered (a shipped model id never changes its weights: ship them under a new id); the registered ${ID} is kept`,
      ],
    ]);
    expect(backend.registry.get(ID)).toEqual({
      id: ID,
      origin: 'shipped',
      status: 'current',
      card: registeredCard,
    });
    expect(cachedMaps(backend)).toEqual(maps);
    expect(auditActions(backend).map((a) => a.action)).toEqual(['model.initial']);
    await backend.close();
  });

  it('checks the weights in the folder against a changed card before trusting it', async () => {
    const shipped = await shippedDir();
    const workspace = Workspace.open(tempDir());
    const registry = new ModelRegistry(workspace, shipped);
    expect(registry.syncShipped().registered).toEqual([ID]);
    const registeredCard = registry.get(ID)!.card;
    // The card changes and still names the registered weights, but weights.bin is another network's.
    editShippedCard(shipped, (card) => ({ ...card, testTimeMirror: true }));
    const other = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    shippedDirs.push(other);
    await saveTinyModel(other, 'other', { seed: 9 });
    copyFileSync(join(other, 'other', 'weights.bin'), join(shipped, ID, 'weights.bin'));
    expect(sha256Hex(readFileSync(join(shipped, ID, 'weights.bin')))).not.toBe(registeredCard.weights.sha256);

    expect(registry.syncShipped()).toEqual({
      registered: [],
      refreshed: [],
      problems: [
        `${join(shipped, ID)}: weights.bin does not match the sha256 in its card (corrupt or replaced); the registered ${ID} is kept`,
      ],
    });
    expect(registry.get(ID)?.card).toEqual(registeredCard);
    workspace.close();
  });

  it("takes a release's model.json pin for a card registered without one (an older release's) and keeps the cached maps", async () => {
    const shipped = await shippedDir();
    const pin = sha256OfFile(join(shipped, ID, 'model.json'));
    editShippedCard(shipped, ({ topologySha256: _, ...older }) => older);
    const workspaceDir = tempDir();
    const { maps } = await analysedWorkspace(workspaceDir, shipped);
    const released = editShippedCard(shipped, (card) => ({ ...card, topologySha256: pin }));

    const backend = MammoBackend.open(workspaceDir, { shippedModelsDir: shipped });
    expect(backend.registry.get(ID)?.card).toEqual(released);
    expect(cachedMaps(backend)).toEqual(maps);
    expect(JSON.parse(auditActions(backend).at(-1)!.details)).toEqual({ droppedPredictions: 0 });
    await backend.close();
  });

  describe('refuses a release whose model.json is not the registered one, weights the same', () => {
    const registered = async (options: { pinned: boolean }) => {
      const shipped = await shippedDir();
      if (!options.pinned) editShippedCard(shipped, ({ topologySha256: _, ...older }) => older);
      const workspace = Workspace.open(tempDir());
      const registry = new ModelRegistry(workspace, shipped);
      expect(registry.syncShipped().registered).toEqual([ID]);
      return { shipped, workspace, registry, registeredCard: registry.get(ID)!.card };
    };
    const kept = `the registered ${ID} is kept`;

    it('another model.json, pinned by the changed card', async () => {
      const { shipped, workspace, registry, registeredCard } = await registered({ pinned: true });
      editTopology(join(shipped, ID));
      const released = editShippedCard(shipped, (card) => ({
        ...card,
        topologySha256: sha256OfFile(join(shipped, ID, 'model.json')),
      }));
      expect(released.weights).toEqual(registeredCard.weights);
      expect(registry.syncShipped().problems).toEqual([
        `${join(shipped, ID)}: ships ${ID} with another model.json than the version this workspace registered (a shipped model id never changes its topology: ship it under a new id); ${kept}`,
      ]);
      expect(registry.get(ID)?.card).toEqual(registeredCard);
      workspace.close();
    });

    it('a changed card that drops the pin the registered card holds', async () => {
      const { shipped, workspace, registry, registeredCard } = await registered({ pinned: true });
      editShippedCard(shipped, ({ topologySha256: _, ...card }) => ({ ...card, notes: 'unpinned' }));
      expect(registry.syncShipped().problems).toEqual([
        `${join(shipped, ID)}: ships ${ID} with a card that no longer records the sha256 of model.json, which the registered card pins; ${kept}`,
      ]);
      expect(registry.get(ID)?.card).toEqual(registeredCard);
      workspace.close();
    });

    it('a pin that an unpinned registered card takes only if the folder matches it', async () => {
      const { shipped, workspace, registry, registeredCard } = await registered({ pinned: false });
      const pin = sha256OfFile(join(shipped, ID, 'model.json'));
      editTopology(join(shipped, ID));
      editShippedCard(shipped, (card) => ({ ...card, topologySha256: pin }));
      expect(registry.syncShipped().problems).toEqual([
        `${join(shipped, ID)}: model.json does not match the sha256 in its card (corrupt or replaced); ${kept}`,
      ]);
      expect(registry.get(ID)?.card).toEqual(registeredCard);
      workspace.close();
    });
  });
});

describe('which card changes make cached predictions stale', () => {
  const weights = { file: 'weights.bin', sha256: 'a'.repeat(64), dtype: 'float32' as const, bytes: 4 };
  const network = {
    architecture: 'scuccimarra-3.9.4.01',
    widthMultiplier: 0.25,
    inputPixelSpacingMm: 0.6,
    normalisation: { offset: 127, scale: 255 },
    weights,
  };
  const card: ModelCard = {
    id: 'two-members',
    parentId: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    ...network,
    trainingData: { description: 'generated', images: 1, patients: 1 },
    validation: null,
    thresholds: { image: 0.5, finding: 0.5 },
    members: [
      { name: 'mass', role: 'mass', topology: 'model.json', ...network, validation: null },
      {
        name: 'calc',
        role: 'calcification',
        topology: 'calc.model.json',
        ...network,
        weights: { ...weights, file: 'calc.weights.bin', sha256: 'b'.repeat(64) },
      },
    ],
    combination: 'max',
  };
  const withMember = (i: number, change: Partial<NonNullable<ModelCard['members']>[number]>): ModelCard => ({
    ...card,
    members: card.members!.map((m, j) => (j === i ? { ...m, ...change } : m)),
  });

  it.each([
    ['the image threshold', { ...card, thresholds: { image: 0.7, finding: 0.5 } }, false],
    ['notes, detects, metrics', { ...card, notes: 'n', detects: ['mass'] as ModelCard['detects'] }, false],
    ["a member's validation", withMember(1, { validation: { ...SOME_METRICS, split: 'v' } }), false],
    ['the finding threshold', { ...card, thresholds: { image: 0.5, finding: 0.6 } }, true],
    ['test-time mirroring', { ...card, testTimeMirror: true }, true],
    ["a member's role", withMember(1, { role: 'any' }), true],
    ["a member's pixel spacing", withMember(0, { inputPixelSpacingMm: 0.4 }), true],
    ['a field this code does not know', { ...card, futureInferenceField: 1 } as ModelCard, true],
  ] as const)('%s: stale %s', (_, after, stale) => {
    expect(predictionsDependOnChange(card, after)).toBe(stale);
  });

  it('a topology pin added to a card that had none keeps them; a changed one drops them', () => {
    const pinned = (c: ModelCard, pin: string): ModelCard => ({
      ...c,
      topologySha256: pin,
      members: c.members!.map((m, i) => ({ ...m, topologySha256: i === 0 ? pin : 'd'.repeat(64) })),
    });
    expect(predictionsDependOnChange(card, pinned(card, 'c'.repeat(64)))).toBe(false);
    expect(predictionsDependOnChange(pinned(card, 'c'.repeat(64)), pinned(card, 'c'.repeat(64)))).toBe(false);
    expect(predictionsDependOnChange(pinned(card, 'c'.repeat(64)), pinned(card, 'e'.repeat(64)))).toBe(true);
    expect(predictionsDependOnChange(pinned(card, 'c'.repeat(64)), card)).toBe(true);
  });
});
