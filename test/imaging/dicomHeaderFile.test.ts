/**
 * readDicomHeaderFile reads a DICOM file's header from its first bytes and gives what a parse of
 * the whole file gives: the same elements and the same import record, truncation included. The
 * truth each case compares with is parseDicomHeader on the file's bytes read whole (what the TCIA
 * import read before), on files written here in each layout the importer accepts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicomHeader, type ParsedDicom } from '../../main/imaging/dicomFile.js';
import { ImageDecodeError } from '../../main/imaging/errors.js';
import { readDicomHeaderFile } from '../../main/imaging/readImageFile.js';
import { readDicomImportRecord } from '../../main/studies/dicomMetadata.js';
import { writeSyntheticDicom, type SyntheticDicomOptions } from '../helpers/syntheticDicom.js';
import { headerValues } from '../helpers/dicomHeaderValues.js';
import { useTempDir } from '../helpers/tempDir.js';

/** The import record, or the one-line reason it is refused. */
function recordOf(parsed: ParsedDicom): unknown {
  try {
    return readDicomImportRecord(parsed);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** A film-like file: 1,200 x 1,000 16-bit pixels (2.4 MB), so a whole read is megabytes. */
const FILM: SyntheticDicomOptions = { rows: 1200, columns: 1000, bitsAllocated: 16, bitsStored: 12 };

describe('readDicomHeaderFile (a header from a file’s first bytes)', () => {
  const tempDir = useTempDir();
  const write = (name: string, bytes: Uint8Array): string => {
    const file = join(tempDir(), name);
    writeFileSync(file, bytes);
    return file;
  };

  it.each([
    ['explicit VR little endian', { transferSyntax: 'explicit-le' }, 0],
    ['implicit VR little endian', { transferSyntax: 'implicit-le' }, 0],
    ['no preamble', { preamble: 'none' }, 128],
    ['a bare data set (no meta header)', { preamble: 'no-meta', transferSyntax: 'implicit-le' }, 0],
  ] as const)('%s: the elements and import record of a whole parse, from 64 KB', async (_, layout, added) => {
    const bytes = writeSyntheticDicom({ ...FILM, ...layout, pixelSpacing: [0.07, 0.07] });
    const file = write('film.dcm', bytes);
    const whole = await parseDicomHeader(readFileSync(file), file);
    const header = await readDicomHeaderFile(file);
    expect(header).toMatchObject({
      headerOnly: true,
      partial: false,
      transferSyntaxUid: whole.transferSyntaxUid,
      streamBytes: bytes.length + added,
    });
    expect(header.dataSet.byteArray.length).toBe(64 * 1024 + added);
    expect(headerValues(header.dataSet)).toEqual(headerValues(whole.dataSet));
    expect(header.dataSet.elements['x7fe00010']).toMatchObject({
      dataOffset: whole.dataSet.elements['x7fe00010']!.dataOffset,
      length: whole.dataSet.elements['x7fe00010']!.length,
    });
    expect(recordOf(header)).toEqual(recordOf(whole));
    expect(recordOf(header)).toMatchObject({ image: { rows: 1200, columns: 1000 } });
  });

  it('reads on while the header is longer than the first read (a 200 KB element before Pixel Data)', async () => {
    const file = write(
      'long-header.dcm',
      writeSyntheticDicom({
        ...FILM,
        extra: { EncapsulatedDocument: new Uint8Array(200_000).fill(7).buffer },
      }),
    );
    const whole = await parseDicomHeader(readFileSync(file), file);
    const header = await readDicomHeaderFile(file);
    expect(header.dataSet.byteArray.length).toBe(4 * 64 * 1024);
    expect(headerValues(header.dataSet)).toEqual(headerValues(whole.dataSet));
    expect(recordOf(header)).toEqual(recordOf(whole));
  });

  it('refuses a file cut short inside its pixels with the same reason as a whole parse', async () => {
    const bytes = writeSyntheticDicom(FILM);
    const file = write('cut.dcm', bytes.subarray(0, bytes.length - 100_001));
    const whole = recordOf(await parseDicomHeader(readFileSync(file), file));
    expect(whole).toEqual({ refused: 'truncated pixel data (expected 2400000 bytes, found 2299999)' });
    expect(recordOf(await readDicomHeaderFile(file))).toEqual(whole);
  });

  it('reads a deflated file and encapsulated pixels whole, as before', async () => {
    const deflated = write('deflated.dcm', writeSyntheticDicom({ ...FILM, transferSyntax: 'deflated-le' }));
    const rle = write(
      'rle.dcm',
      writeSyntheticDicom({
        rows: 300,
        columns: 200,
        transferSyntax: '1.2.840.10008.1.2.5',
        encapsulatedFrames: [new Uint8Array(90_000).fill(3)],
      }),
    );
    for (const file of [deflated, rle]) {
      const whole = await parseDicomHeader(readFileSync(file), file);
      const header = await readDicomHeaderFile(file);
      expect(header.dataSet.byteArray.length, file).toBe(whole.dataSet.byteArray.length);
      expect(recordOf(header), file).toEqual(recordOf(whole));
      expect(recordOf(header), file).toHaveProperty('image');
    }
  });

  it('says why a file is not DICOM, as a whole parse does', async () => {
    const file = write('notes.dcm', new Uint8Array(100_000).fill(0x41));
    const whole = await parseDicomHeader(readFileSync(file), file).catch((error: unknown) => error);
    const header = await readDicomHeaderFile(file).catch((error: unknown) => error);
    expect(header).toBeInstanceOf(ImageDecodeError);
    expect((header as Error).message).toBe((whole as Error).message);
  });
});
