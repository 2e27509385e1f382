import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { Annotation, AnnotationDraft } from '../../main/api/annotations.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { ImageFileSource } from '../../main/server/ImageFileSource.js';
import { MammoServer, type ServerAddress } from '../../main/server/MammoServer.js';
import { PredictionMapSource } from '../../main/server/PredictionMapSource.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

const noFindings = { decisions: [], added: [] };

/** A mask with one filled square, as its pixels and as base64 PNG. */
function squareMask(rows: number, columns: number, top: number, left: number, size: number) {
  const data = new Uint8Array(rows * columns);
  for (let r = top; r < top + size; r++) for (let c = left; c < left + size; c++) data[r * columns + c] = 255;
  return {
    data,
    base64: Buffer.from(encode({ width: columns, height: rows, data, channels: 1, depth: 8 })).toString(
      'base64',
    ),
  };
}

const samePixels = (png: Uint8Array, expected: Uint8Array) =>
  Buffer.from(decode(png).data as Uint8Array).equals(Buffer.from(expected));

/**
 * The draft fault suite: two readers on one image, over the real HTTP server, in the orders an
 * unlucky pair would take. Each reader's work ends up either saved as a version or kept pixel-exact
 * in their own draft after a refusal named as a conflict (409). Nothing else.
 */
describe('two readers, their drafts and their saves', () => {
  const tempDir = useTempDir('mammo-drafts-');

  it("keeps every reader's work: saved, or kept in their draft after a 409", async () => {
    const dir = tempDir();
    const staticRoot = join(dir, 'bundle');
    mkdirSync(staticRoot, { recursive: true });
    writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>t</title>');
    const backend = MammoBackend.open(join(dir, 'workspace'));
    const server = new MammoServer({
      api: backend,
      images: new ImageFileSource(backend.workspace),
      predictionMaps: new PredictionMapSource(backend.workspace),
      staticRoot,
    });
    const address: ServerAddress = await server.start();
    const call = async (method: string, body: unknown) => {
      const response = await fetch(`${address.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${address.token}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    try {
      const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
      const counts = { tried: 0, saved: 0, keptAsDraft: 0, other: 0 };
      const others: string[] = [];
      let square = 0;
      const work = (rows: number, columns: number) =>
        squareMask(rows, columns, 40 + 60 * square, 40 + 60 * square++, 30);
      /** The outcome of one reader's save, checked against the pixels they painted. */
      const judge = async (
        scenario: string,
        imageId: number,
        reader: string,
        painted: Uint8Array,
        save: { status: number; body: unknown },
      ) => {
        counts.tried++;
        if (save.status === 200) {
          const annotation = save.body as Annotation;
          const stored = readFileSync(backend.workspace.resolvePath(annotation.maskPath));
          if (annotation.author === reader && samePixels(stored, painted)) return void counts.saved++;
        } else if (
          save.status === 409 &&
          /was saved as version \d+ by /.test(String((save.body as { error: string }).error))
        ) {
          const draft = (await call('getDraft', { imageId, reader })).body as AnnotationDraft | null;
          if (draft && samePixels(Buffer.from(draft.maskPng, 'base64'), painted))
            return void counts.keptAsDraft++;
        }
        counts.other++;
        others.push(`${scenario} ${reader}: ${save.status} ${JSON.stringify(save.body).slice(0, 200)}`);
      };

      const images = [];
      for (const study of studies) images.push(...(await backend.getStudy({ studyId: study.id })).images);
      expect(images.length).toBeGreaterThanOrEqual(3);

      // 1. B drafts, A saves, B saves from the version B opened: A's save leaves B's draft, B's loses.
      {
        const image = images[0]!;
        const a = work(image.rows, image.columns);
        const b = work(image.rows, image.columns);
        const draft = {
          imageId: image.id,
          reader: 'dr.b',
          baseVersion: 0,
          maskPng: b.base64,
          findings: noFindings,
          modelId: null,
          threshold: null,
        };
        expect((await call('saveDraft', draft)).status).toBe(200);
        const saveA = await call('saveAnnotation', {
          imageId: image.id,
          maskPng: a.base64,
          author: 'dr.a',
          baseVersion: 0,
          findings: noFindings,
        });
        await judge('draft-then-save', image.id, 'dr.a', a.data, saveA);
        // B's draft is still B's after A's save.
        const kept = (await call('getDraft', { imageId: image.id, reader: 'dr.b' }))
          .body as AnnotationDraft | null;
        expect(kept?.maskPng).toBe(b.base64);
        const saveB = await call('saveAnnotation', {
          imageId: image.id,
          maskPng: b.base64,
          author: 'dr.b',
          baseVersion: 0,
          findings: noFindings,
        });
        expect(saveB.status).toBe(409);
        await judge('draft-then-save', image.id, 'dr.b', b.data, saveB);
        // Reapplied on top of version 1 (the editor merges the strokes), B's save goes in as version 2.
        const reapplied = await call('saveAnnotation', {
          imageId: image.id,
          maskPng: b.base64,
          author: 'dr.b',
          baseVersion: 1,
          findings: noFindings,
        });
        expect((reapplied.body as Annotation).version).toBe(2);
        await judge('reapplied', image.id, 'dr.b', b.data, reapplied);
        // B's own save is what ends B's draft.
        expect((await call('getDraft', { imageId: image.id, reader: 'dr.b' })).body).toBeNull();
      }

      // 2. Both save at once from the same version, each with a draft: one wins, the other keeps its draft.
      {
        const image = images[1]!;
        const masks = { 'dr.a': work(image.rows, image.columns), 'dr.b': work(image.rows, image.columns) };
        for (const [reader, mask] of Object.entries(masks))
          await call('saveDraft', {
            imageId: image.id,
            reader,
            baseVersion: 0,
            maskPng: mask.base64,
            findings: noFindings,
            modelId: null,
            threshold: null,
          });
        const saves = await Promise.all(
          Object.entries(masks).map(([author, mask]) =>
            call('saveAnnotation', {
              imageId: image.id,
              maskPng: mask.base64,
              author,
              baseVersion: 0,
              findings: noFindings,
            }),
          ),
        );
        expect(saves.map((s) => s.status).sort()).toEqual([200, 409]);
        for (const [index, [reader, mask]] of Object.entries(masks).entries())
          await judge('simultaneous', image.id, reader, mask.data, saves[index]!);
      }

      // 3. An unnamed reader's autosaved draft and a named reader's save: neither touches the other.
      {
        const image = images[2]!;
        const unnamed = work(image.rows, image.columns);
        const a = work(image.rows, image.columns);
        await call('saveDraft', {
          imageId: image.id,
          baseVersion: 0,
          maskPng: unnamed.base64,
          findings: noFindings,
          modelId: null,
          threshold: null,
        });
        await judge(
          'unnamed-draft',
          image.id,
          'dr.a',
          a.data,
          await call('saveAnnotation', {
            imageId: image.id,
            maskPng: a.base64,
            author: 'dr.a',
            baseVersion: 0,
            findings: noFindings,
          }),
        );
        const kept = (await call('getDraft', { imageId: image.id })).body as AnnotationDraft | null;
        expect(kept && samePixels(Buffer.from(kept.maskPng, 'base64'), unnamed.data)).toBe(true);
      }

      console.log(`draft fault suite: ${JSON.stringify(counts)}`);
      expect(others).toEqual([]);
      expect(counts.other).toBe(0);
      expect(counts.keptAsDraft).toBe(2);
    } finally {
      await server.close();
      await backend.close();
    }
  }, 120_000);
});
