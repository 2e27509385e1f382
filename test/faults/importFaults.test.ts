import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_EVENTS } from '../../main/api/contract.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { MAX_INFLATED_BYTES } from '../../main/imaging/limits.js';
import { useTempDir } from '../helpers/tempDir.js';
import { damagedFileCorpus } from './damagedFileCorpus.js';

/**
 * The import fault suite: every damaged file is either refused with a named reason, or imported
 * and then decodable from the workspace. Nothing else.
 */
describe('import of damaged files', () => {
  const tempDir = useTempDir();

  it('refuses each with a reason or imports it decodable; nothing else', async () => {
    const source = tempDir();
    const corpus = damagedFileCorpus(MAX_INFLATED_BYTES + 1024);
    for (const file of corpus) writeFileSync(join(source, file.name), file.bytes);

    const backend = MammoBackend.open(tempDir());
    const outcomes = new Map<string, string>();
    const unsubscribe = backend.subscribe(API_EVENTS.importProgress, (p) => outcomes.set(p.file, p.outcome));
    const result = await backend.importFiles({ paths: [source], format: 'dicom' });
    unsubscribe();
    const reasons = new Map(result.errors.map((e) => [e.file, e.reason]));
    const counts = { tried: corpus.length, refused: 0, importedAndDecodable: 0, other: 0 };
    const others: string[] = [];
    const stored = backend.workspace.db
      .prepare("SELECT rel_path AS path FROM images WHERE format = 'dicom'")
      .all() as { path: string }[];
    const decodable = new Set<string>();
    for (const { path } of stored) {
      await decodeImageFile(backend.workspace.resolvePath(path)).then(
        () => decodable.add(path),
        () => undefined,
      );
    }
    for (const file of corpus) {
      const path = join(source, file.name);
      const outcome = outcomes.get(path);
      if (outcome === 'error' && (reasons.get(path) ?? '').length > 0) counts.refused++;
      else if (outcome === 'imported') counts.importedAndDecodable++;
      else {
        counts.other++;
        others.push(`${file.name}: ${outcome}`);
      }
    }
    // Every image that got in decodes from its stored copy.
    expect(stored.filter((s) => !decodable.has(s.path))).toEqual([]);
    expect(stored).toHaveLength(counts.importedAndDecodable);
    console.log(`import fault suite: ${JSON.stringify(counts)}`);
    expect(others).toEqual([]);
    expect(counts.other).toBe(0);
    expect(counts.refused).toBeGreaterThan(counts.tried / 2);
    expect(reasons.get(join(source, 'deflate-bomb.dcm'))).toMatch(/inflates to more than/);
    expect(reasons.get(join(source, 'header-deflate-bomb.dcm'))).toMatch(
      /element \(7FDF,1010\) before Pixel Data declares 3221\.2 MB/,
    );
    // A cut-short codestream decodes to made-up pixels unless its codec checks where it ends.
    const cutStreams = corpus.filter((f) => f.name.includes('-stream-cut-')).map((f) => join(source, f.name));
    expect(cutStreams).toHaveLength(8);
    for (const file of cutStreams) {
      expect(outcomes.get(file), file).toBe('error');
      if (file.includes('jpegLossless')) expect(reasons.get(file)).toMatch(/the codestream is truncated/);
    }
    const reasonOf = (name: string) => reasons.get(join(source, name));
    expect(reasonOf('pixel-spacing-single-value.dcm')).toBe(
      "PixelSpacing '0.1' is not two numbers (row\\column spacing in mm)",
    );
    expect(reasonOf('pixel-spacing-three-values.dcm')).toMatch(
      /^PixelSpacing '0\.1\\0\.1\\0\.1' is not two numbers/,
    );
    expect(reasonOf('pixel-spacing-nan.dcm')).toMatch(/^PixelSpacing 'NaN\\NaN' is not two numbers/);
    expect(reasonOf('pixel-spacing-text.dcm')).toMatch(/^PixelSpacing 'abc\\def' is not two numbers/);
    expect(reasonOf('pixel-spacing-zero.dcm')).toBe(
      "PixelSpacing 0\\0 mm cannot be a mammogram's (expected 0.01 to 1 mm)",
    );
    expect(reasonOf('pixel-spacing-negative.dcm')).toMatch(
      /^PixelSpacing -0\.1\\-0\.1 mm cannot be a mammogram's/,
    );
    expect(reasonOf('pixel-spacing-too-coarse.dcm')).toMatch(/^PixelSpacing 5\\5 mm cannot be a mammogram's/);
    expect(reasonOf('columns-1.dcm')).toMatch(/^Columns 1 x Rows 4664 cannot be a mammogram/);
    expect(reasonOf('no-modality.dcm')).toBe('missing Modality (0008,0060), which every DICOM image has');
    expect(reasons.get(join(source, 'dimensions-30000.dcm'))).toMatch(/larger than any mammography detector/);
    await backend.close();
  }, 120_000);
});
