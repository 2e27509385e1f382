import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../main/imaging/decodeImage.js';
import { decodePgm, decodePng } from '../../main/imaging/rasterFormats.js';

function pgm(header: string, data: Uint8Array | number[]): Uint8Array {
  const head = Buffer.from(header, 'latin1');
  return Uint8Array.from([...head, ...data]);
}

describe('PGM', () => {
  it('decodes 8-bit P5 with comments, keeping values as display levels', async () => {
    const bytes = pgm('P5\n# mini-MIAS style comment\n3 2\n# another\n255\n', [0, 10, 20, 30, 40, 255]);
    const image = await decodeImage(bytes, 'mdb001.pgm');
    expect(image).toMatchObject({
      format: 'pgm',
      rows: 2,
      columns: 3,
      bitsStored: 8,
      photometric: 'MONOCHROME2',
    });
    expect(image.stored).toBeInstanceOf(Uint8Array);
    expect(Array.from(image.stored)).toEqual([0, 10, 20, 30, 40, 255]);
    expect(Array.from(image.display)).toEqual([0, 10, 20, 30, 40, 255]);
    expect(image.voi).toMatchObject({ source: 'maxval' });
  });

  it('decodes 16-bit P5 (big-endian samples) and maps 0..maxval linearly', async () => {
    const bytes = pgm('P5 2 2 1023\n', [0x00, 0x00, 0x01, 0xff, 0x02, 0x00, 0x03, 0xff]);
    const image = await decodeImage(bytes, 'x.pgm');
    expect(image.stored).toBeInstanceOf(Uint16Array);
    expect(Array.from(image.stored)).toEqual([0, 511, 512, 1023]);
    expect(image.bitsStored).toBe(10);
    expect(Array.from(image.display)).toEqual([0, 511, 512, 1023].map((v) => Math.round((v * 255) / 1023)));
  });

  it('decodes plain P2 and honours a window override', async () => {
    const bytes = Buffer.from('P2\n2 2\n15\n0 5\n10 15\n', 'latin1');
    const image = await decodeImage(bytes, 'p2.pgm', {
      window: { center: 5, width: 10 },
      voiLutFunction: 'LINEAR_EXACT',
    });
    expect(Array.from(image.stored)).toEqual([0, 5, 10, 15]);
    expect(Array.from(image.display)).toEqual([0, 128, 255, 255]);
  });

  it('reports malformed and truncated files', () => {
    expect(() => decodePgm(pgm('P5\n3 2\n255\n', [1, 2, 3]), 'short.pgm')).toThrow(
      'short.pgm: invalid PGM: truncated data (expected 6 bytes, found 3)',
    );
    expect(() => decodePgm(pgm('P5\n3 x\n255\n', []), 'bad.pgm')).toThrow(
      "bad.pgm: invalid PGM: bad height 'x'",
    );
    expect(() => decodePgm(pgm('P5\n1 1\n70000\n', [0, 0]), 'big.pgm')).toThrow(/maxval 70000 outside/);
  });
});

describe('PNG', () => {
  it('decodes 8-bit and 16-bit grayscale', async () => {
    const gray8 = encodePng({
      width: 2,
      height: 2,
      data: Uint8Array.from([0, 64, 128, 255]),
      depth: 8,
      channels: 1,
    });
    const image8 = await decodeImage(gray8, 'a.png');
    expect(image8).toMatchObject({ format: 'png', rows: 2, columns: 2, bitsStored: 8 });
    expect(Array.from(image8.display)).toEqual([0, 64, 128, 255]);

    const gray16 = encodePng({
      width: 3,
      height: 1,
      data: Uint16Array.from([0, 32768, 65535]),
      depth: 16,
      channels: 1,
    });
    const image16 = await decodeImage(gray16, 'b.png');
    expect(image16.stored).toBeInstanceOf(Uint16Array);
    expect(Array.from(image16.stored)).toEqual([0, 32768, 65535]);
    expect(Array.from(image16.display)).toEqual([0, 128, 255]);
  });

  it('accepts gray+alpha and RGB that is really gray, rejects real colour', () => {
    const grayAlpha = encodePng({
      width: 2,
      height: 1,
      data: Uint8Array.from([10, 255, 20, 0]),
      depth: 8,
      channels: 2,
    });
    expect(Array.from(decodePng(grayAlpha).samples)).toEqual([10, 20]);
    const rgbGray = encodePng({
      width: 2,
      height: 1,
      data: Uint8Array.from([7, 7, 7, 9, 9, 9]),
      depth: 8,
      channels: 3,
    });
    expect(Array.from(decodePng(rgbGray).samples)).toEqual([7, 9]);
    const rgb = encodePng({
      width: 2,
      height: 1,
      data: Uint8Array.from([7, 7, 7, 9, 0, 9]),
      depth: 8,
      channels: 3,
    });
    expect(() => decodePng(rgb, 'colour.png')).toThrow(
      'colour.png: colour images are not supported (PNG with 3 channels)',
    );
  });

  it('unpacks low bit depths', () => {
    // 1-bit, 10 pixels wide: rows are padded to 2 bytes.
    const data = Uint8Array.from([0b10110000, 0b01000000, 0b00000000, 0b11000000]);
    const png = decodePng(encodePng({ width: 10, height: 2, data, depth: 1, channels: 1 }));
    expect(png.maxval).toBe(1);
    expect(Array.from(png.samples)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('reports a corrupt PNG', () => {
    const good = encodePng({ width: 2, height: 2, data: new Uint8Array(4), depth: 8, channels: 1 });
    expect(() => decodePng(good.subarray(0, 30), 'cut.png')).toThrow(/^cut\.png: invalid PNG/);
  });
});
