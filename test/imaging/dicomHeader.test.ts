import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { parseDicomBytes, parseDicomHeader } from '../../main/imaging/dicomFile.js';
import { MAX_HEADER_BYTES, MAX_INFLATED_BYTES, megabytes } from '../../main/imaging/limits.js';
import { headerDeflateBomb } from '../faults/headerDeflateBomb.js';
import { part10HeaderLength, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { headerValues } from '../helpers/dicomHeaderValues.js';
import { useTempDir } from '../helpers/tempDir.js';

const DEFLATED = '1.2.840.10008.1.2.1.99';

describe('parseDicomHeader (what a server thread reads of an imported file)', () => {
  // Random text does not compress: this header's deflate stream is longer than the first round.
  const comments = randomBytes(12_000).toString('base64');
  // Noise does not compress either, so the pixels lie beyond the second round.
  const noise = Array.from(randomBytes(128 * 128 * 2).subarray(0, 128 * 128), (v, i) => (v << 4) | (i & 15));
  const deflated = writeSyntheticDicom({
    rows: 128,
    columns: 128,
    bitsStored: 12,
    pixels: noise,
    transferSyntax: 'deflated-le',
    extra: { ImageComments: comments.slice(0, 10_240) },
  });

  it('reads a deflated header, meta group included, with the values of a whole parse', async () => {
    const whole = parseDicomBytes(deflated);
    const header = await parseDicomHeader(deflated);
    expect(header).toMatchObject({ partial: false, headerOnly: true, transferSyntaxUid: DEFLATED });
    expect(header.dataSet.string('x00204000')).toBe(comments.slice(0, 10_240));
    expect(header.dataSet.string('x00020003')).toBe(whole.dataSet.string('x00080018'));
    // Pixel Data as declared (128 x 128 x 2 bytes), where it starts in the inflated data set; not read.
    expect(header.dataSet.elements['x7fe00010']).toMatchObject({
      length: 128 * 128 * 2,
      dataOffset: whole.dataSet.elements['x7fe00010']!.dataOffset,
    });
    expect(header.dataSet.byteArray.length).toBeLessThan(whole.dataSet.byteArray.length);
    expect(headerValues(header.dataSet)).toEqual(headerValues(whole.dataSet));
  });

  it('reads the header of a deflate bomb without inflating the bomb', async () => {
    // The data set followed by zeros: it inflates past the cap, a whole parse refuses it.
    const headerEnd = part10HeaderLength(deflated);
    const dataSet = inflateRawSync(deflated.subarray(headerEnd));
    const inflated = Buffer.alloc(MAX_INFLATED_BYTES + 1);
    inflated.set(dataSet, 0);
    const bomb = Buffer.concat([deflated.subarray(0, headerEnd), deflateRawSync(inflated, { level: 1 })]);
    expect(() => parseDicomBytes(bomb, 'bomb.dcm')).toThrow(/inflates to more than/);
    const header = await parseDicomHeader(bomb, 'bomb.dcm');
    expect(header.dataSet.string('x00204000')).toBe(comments.slice(0, 10_240));
    expect(header.dataSet.uint16('x00280010')).toBe(128);
  });

  it('parses any other file as a whole parse does', async () => {
    const native = writeSyntheticDicom({ rows: 8, columns: 8, transferSyntax: 'explicit-le' });
    expect(headerValues((await parseDicomHeader(native)).dataSet)).toEqual(
      headerValues(parseDicomBytes(native).dataSet),
    );
    await expect(parseDicomHeader(new Uint8Array(300))).rejects.toThrow('not a DICOM file');
  });

  it('refuses by its declared length a 3 GiB element before Pixel Data, inflating only its header', async () => {
    // 3.1 MB of file that inflates to 3.2 GB: the old walk inflated it whole on the server's thread.
    const bomb = headerDeflateBomb(deflated);
    expect(bomb.length).toBeLessThan(4e6);
    const rssBefore = process.memoryUsage().rss;
    await expect(parseDicomHeader(bomb, 'bomb.dcm')).rejects.toThrow(
      `bomb.dcm: element (7FDF,1010) before Pixel Data declares 3221.2 MB; a mammogram's header takes at most ${megabytes(MAX_HEADER_BYTES)}`,
    );
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(2 * MAX_HEADER_BYTES);
  });

  it('walks past a large private element within the cap to the header it precedes', async () => {
    const withBlob = headerDeflateBomb(deflated, 4 * 1024 * 1024);
    const header = await parseDicomHeader(withBlob);
    expect(header.headerOnly).toBe(true);
    expect(header.dataSet.elements['x7fdf1010']?.length).toBe(4 * 1024 * 1024);
    expect(header.dataSet.string('x00204000')).toBe(comments.slice(0, 10_240));
    expect(header.dataSet.elements['x7fe00010']?.length).toBe(128 * 128 * 2);
  });

  const tempDir = useTempDir();

  it('imports a deflated file read this way, and refuses one whose pixels are cut off, by its name', async () => {
    const source = tempDir();
    const headerEnd = part10HeaderLength(deflated);
    const cut = deflated.subarray(0, headerEnd + Math.floor((deflated.length - headerEnd) * 0.8));
    expect((await parseDicomHeader(cut)).headerOnly).toBe(true);
    writeFileSync(join(source, 'deflated.dcm'), deflated);
    const other = writeSyntheticDicom({
      rows: 128,
      columns: 128,
      bitsStored: 12,
      pixels: noise,
      transferSyntax: 'deflated-le',
    });
    writeFileSync(
      join(source, 'cut.dcm'),
      other.subarray(
        0,
        part10HeaderLength(other) + Math.floor((other.length - part10HeaderLength(other)) * 0.8),
      ),
    );
    const backend = MammoBackend.open(tempDir());
    try {
      const result = await backend.importFiles({ paths: [source], format: 'dicom' });
      expect(result.imported).toBe(1);
      expect(result.errors).toEqual([
        { file: join(source, 'cut.dcm'), reason: expect.stringMatching(/truncated|inflate/) },
      ]);
      const [study] = await backend.listStudies();
      const [image] = (await backend.getStudy({ studyId: study!.id })).images;
      const stored = await decodeImageFile(backend.workspace.resolvePath(image!.path));
      expect(Array.from(stored.stored)).toEqual(noise);
    } finally {
      await backend.close();
    }
  });
});
