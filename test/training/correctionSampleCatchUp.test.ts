import { mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Image } from '../../main/api/domain.js';
import { AnnotationService } from '../../main/annotations/AnnotationService.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { DecodePool } from '../../main/imaging/DecodePool.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

/** A filled rectangle as the reader's mask: its pixels and its base64 PNG. */
function rectangle(
  image: Pick<Image, 'rows' | 'columns'>,
  top: number,
  left: number,
  height: number,
  width: number,
) {
  const data = new Uint8Array(image.rows * image.columns);
  for (let r = top; r < top + height; r++)
    data.fill(255, r * image.columns + left, r * image.columns + left + width);
  const png = encode({ width: image.columns, height: image.rows, data, channels: 1, depth: 8 });
  return { data, base64: Buffer.from(png).toString('base64') };
}

/** The green channel of an RGB sample PNG (the label), as 0/255 pixels. */
function greenOf(bytes: Uint8Array): Uint8Array {
  const png = decode(bytes);
  return Uint8Array.from({ length: png.width * png.height }, (_, i) => png.data[i * png.channels + 1]!);
}

/**
 * A saved correction whose training sample was never built is still a label: the save answers
 * before the sample is built (the annotation layer only publishes an event), so a failed build or
 * a process that dies after the save's commit must not lose it. The next fine-tune and the next
 * training export build it first.
 */
describe('a saved correction whose sample build failed or never ran', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-base');
  });

  /**
   * Opens a workspace with the mini-MIAS fixture and saves a correction of MIAS-001's image while
   * its scan cannot be read, so the sample build after the save fails.
   */
  async function saveWhileTheBuildFails() {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { backend: 'wasm' },
    });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-001')!;
    const image = (await backend.getStudy({ studyId: study.id })).images[0]!;
    const mask = rectangle(image, 300, 200, 40, 60);
    const scan = backend.workspace.resolvePath(image.path);
    renameSync(scan, `${scan}.away`);
    const saved = await backend.saveAnnotation({
      imageId: image.id,
      maskPng: mask.base64,
      author: 'dr.a',
      findings: { decisions: [], added: [] },
    });
    await backend.correctionSamples.settled();
    renameSync(`${scan}.away`, scan);
    // Saved, but no sample: the build failed, and the audit log says why.
    expect(saved.version).toBe(1);
    expect(sampleRowsOf(backend, saved.id)).toEqual([]);
    expect(
      backend.workspace.db
        .prepare("SELECT subject FROM audit_log WHERE action = 'training.sample-failed'")
        .all(),
    ).toEqual([{ subject: `image:${image.id}` }]);
    return { backend, study, image, mask, saved };
  }

  function sampleRowsOf(backend: MammoBackend, annotationId: number): { id: number; path: string }[] {
    return backend.workspace.db
      .prepare(
        "SELECT id, rel_path AS path FROM training_samples WHERE label_source = 'annotation' AND annotation_id = ?",
      )
      .all(annotationId) as { id: number; path: string }[];
  }

  it("is learned by the next fine-tune's label selection, as is one saved by a process that died before building it", async () => {
    const { backend, study, image, mask, saved } = await saveWhileTheBuildFails();

    // Another image saved through an annotation service nobody follows: the process that saved it
    // died between the save's commit and the sample's build.
    const other = (
      await backend.getStudy({ studyId: (await backend.listStudies({})).find((s) => s.id !== study.id)!.id })
    ).images[0]!;
    const otherMask = rectangle(other, 500, 400, 30, 50);
    const pool = new DecodePool({ size: 1 });
    const unfollowed = await new AnnotationService(backend.workspace, backend.registry, pool).save({
      imageId: other.id,
      maskPng: otherMask.base64,
      author: 'dr.b',
      findings: { decisions: [], added: [] },
    });
    await pool.close();
    expect(sampleRowsOf(backend, unfollowed.id)).toEqual([]);

    const job = await backend.fineTunes.start({ steps: 1, size: 64 });
    backend.fineTunes.cancel(job.id);
    await backend.fineTunes.waitFor(job.id);
    for (const [annotation, painted] of [
      [saved, mask.data],
      [unfollowed, otherMask.data],
    ] as const) {
      const rows = sampleRowsOf(backend, annotation.id);
      expect(rows).toHaveLength(1);
      expect(job.sampleIds).toContain(rows[0]!.id);
      // The label is exactly what the reader painted (mini-MIAS is stored at the sample spacing).
      const green = greenOf(readFileSync(backend.workspace.resolvePath(rows[0]!.path)));
      expect(Buffer.from(green).equals(Buffer.from(painted))).toBe(true);
    }
    expect(image.id).not.toBe(other.id);
    await backend.close();
  });

  it('is in the next training export of its study', async () => {
    const { backend, study, mask, saved } = await saveWhileTheBuildFails();
    const folder = join(tempDir(), 'export');
    const result = await backend.exportStudyTo(study.id, 'training', folder);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
      samples: { file: string; labelSource: string; annotationVersion: number | null }[];
    };
    const exported = manifest.samples.filter((s) => s.labelSource === 'annotation');
    expect(exported).toMatchObject([{ annotationVersion: saved.version }]);
    const green = greenOf(readFileSync(join(folder, exported[0]!.file)));
    expect(Buffer.from(green).equals(Buffer.from(mask.data))).toBe(true);
    expect(result.notes.join(' ')).not.toMatch(/no training sample yet/);
    expect(sampleRowsOf(backend, saved.id)).toHaveLength(1);
    await backend.close();
  });
});
