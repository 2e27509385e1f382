import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, type DecodedImage } from '../../main/imaging/decodeImage.js';

/** DICOM WG04 compression test film MG1 (see ../shared/data/dicom-wg04/SOURCE.md); absent in a fresh clone. */
const DATA_DIR = fileURLToPath(new URL('../../../shared/data/dicom-wg04/', import.meta.url));

describe.skipIf(!existsSync(DATA_DIR))('real WG04 mammogram (MG1) as JPEG 2000 and as 12-bit JPEG', () => {
  let j2k: DecodedImage;
  let jpeg: DecodedImage;

  beforeAll(async () => {
    j2k = await decodeImage(await readFile(`${DATA_DIR}MG1_J2KI.dcm`), 'MG1_J2KI.dcm');
    jpeg = await decodeImage(await readFile(`${DATA_DIR}MG1_JPLY.dcm`), 'MG1_JPLY.dcm');
  });

  it('decodes both to 4664 x 3064 12-bit stored values with the file window', () => {
    for (const [image, uid] of [
      [j2k, '1.2.840.10008.1.2.4.91'],
      [jpeg, '1.2.840.10008.1.2.4.51'],
    ] as const) {
      expect(image).toMatchObject({
        format: 'dicom',
        rows: 4664,
        columns: 3064,
        bitsAllocated: 16,
        bitsStored: 12,
        photometric: 'MONOCHROME2',
        modality: 'RG',
        transferSyntaxUid: uid,
      });
      expect(image.stored).toBeInstanceOf(Uint16Array);
      expect(image.stored).toHaveLength(4664 * 3064);
      expect(image.display).toHaveLength(4664 * 3064);
      expect(image.storedRange.min).toBeGreaterThanOrEqual(0);
      expect(image.storedRange.max).toBeLessThanOrEqual(4095);
      expect(image.voi).toMatchObject({ kind: 'window', center: 2047, width: 4095, source: 'window' });
    }
  });

  it('gives the same film from both codecs', () => {
    // Measured: mean |diff| 13.25 codes (0.32% of 4095), mean diff +0.06, correlation 0.99986,
    // 99th percentile |diff| 46. Bounds leave room for codec version noise, not for a real bug:
    // the 12-bit decoder's old +15 level-shift error alone moved the mean by 15.
    const n = j2k.stored.length;
    let sumAbs = 0;
    let sumDiff = 0;
    let sa = 0;
    let sb = 0;
    let saa = 0;
    let sbb = 0;
    let sab = 0;
    for (let i = 0; i < n; i++) {
      const a = j2k.stored[i] ?? 0;
      const b = jpeg.stored[i] ?? 0;
      sumAbs += Math.abs(a - b);
      sumDiff += b - a;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
    const meanAbs = sumAbs / n;
    const meanDiff = sumDiff / n;
    const ma = sa / n;
    const mb = sb / n;
    const correlation = (sab / n - ma * mb) / Math.sqrt((saa / n - ma * ma) * (sbb / n - mb * mb));
    expect(meanAbs).toBeLessThan(20); // < 0.5% of the 12-bit range
    expect(Math.abs(meanDiff)).toBeLessThan(1);
    expect(correlation).toBeGreaterThan(0.999);
    // The film is mostly dark background: a wrong byte order or bit mask would also break this.
    expect(ma).toBeGreaterThan(1000);
    expect(ma).toBeLessThan(2500);
  });

  it('renders display images that agree to about one grey level', () => {
    let sumAbs = 0;
    for (let i = 0; i < j2k.display.length; i++)
      sumAbs += Math.abs((j2k.display[i] ?? 0) - (jpeg.display[i] ?? 0));
    expect(sumAbs / j2k.display.length).toBeLessThan(1.5);
  });
});
