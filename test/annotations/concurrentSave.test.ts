import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnnotationConflictError } from '../../main/api/errors.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

/** A mask with a filled rectangle, as base64 PNG, and its pixels. */
function rectangleMask(rows: number, columns: number, top: number, left: number, size: number) {
  const data = new Uint8Array(rows * columns);
  for (let r = top; r < top + size; r++) for (let c = left; c < left + size; c++) data[r * columns + c] = 255;
  const png = encode({ width: columns, height: rows, data, channels: 1, depth: 8 });
  return { data, base64: Buffer.from(png).toString('base64') };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('two readers saving one image at the same time', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    await saveTinyModel(shipped, 'tiny-a');
  });

  it("never lets the losing save touch the winner's mask or training sample", async () => {
    const backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-001')!;
    const image = (await backend.getStudy({ studyId: study.id })).images[0]!;
    const masks = {
      'dr.a': rectangleMask(image.rows, image.columns, 100, 100, 30),
      'dr.b': rectangleMask(image.rows, image.columns, 500, 400, 50),
    };
    const noFindings = { decisions: [], added: [] };
    // Both readers opened the unsaved image (version 0), as the editor sends it.
    const outcomes = await Promise.allSettled(
      (['dr.a', 'dr.b'] as const).map((author) =>
        backend.saveAnnotation({
          imageId: image.id,
          maskPng: masks[author].base64,
          author,
          baseVersion: 0,
          findings: noFindings,
        }),
      ),
    );
    const saved = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
    expect(saved).toHaveLength(1);
    // A typed refusal (HTTP 409), naming the version that won and its author.
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(AnnotationConflictError);
    expect(refused[0]!.message).toMatch(
      new RegExp(`^image ${image.id} was saved as version 1 by ${saved[0]!.author} while you edited`),
    );

    // A later save after reopening becomes version 2, so both readers' work ends up stored.
    const loser = saved[0]!.author === 'dr.a' ? 'dr.b' : 'dr.a';
    saved.push(
      await backend.saveAnnotation({
        imageId: image.id,
        maskPng: masks[loser].base64,
        author: loser,
        baseVersion: 1,
        findings: noFindings,
      }),
    );
    expect(saved.map((a) => a.version)).toEqual([1, 2]);

    // Each version's sample is built after its save answered (the training layer follows the saves).
    await backend.correctionSamples.settled();
    // Every sample row, superseded versions included (the listing API shows only the newest).
    const samples = backend.workspace.db
      .prepare(
        "SELECT annotation_id AS annotationId, rel_path AS path, sha256 FROM training_samples WHERE label_source = 'annotation'",
      )
      .all() as { annotationId: number; path: string; sha256: string }[];
    expect(samples).toHaveLength(2);
    for (const annotation of saved) {
      const expected = masks[annotation.author as 'dr.a' | 'dr.b'].data;
      const stored = decode(readFileSync(backend.workspace.resolvePath(annotation.maskPath)));
      expect(Buffer.from(stored.data).equals(Buffer.from(expected))).toBe(true);

      const sample = samples.find((s) => s.annotationId === annotation.id)!;
      const bytes = readFileSync(backend.workspace.resolvePath(sample.path));
      expect(sha256(bytes)).toBe(sample.sha256);
      const png = decode(bytes);
      expect(png.width).toBe(image.columns);
      const green = Uint8Array.from({ length: image.rows * image.columns }, (_, i) => png.data[i * 3 + 1]!);
      expect(Buffer.from(green).equals(Buffer.from(expected))).toBe(true);
    }

    // The refused attempt left no files behind: every mask and sample on disk is a recorded one.
    const onDisk = (folder: string) =>
      readdirSync(join(backend.workspace.root, folder)).map((name) => `${folder}/${name}`);
    expect(onDisk('annotations').sort()).toEqual(saved.map((a) => a.maskPath).sort());
    expect(
      onDisk('training')
        .filter((p) => p.includes('-annotation-'))
        .sort(),
    ).toEqual(samples.map((s) => s.path).sort());
    await backend.close();
  });
});
