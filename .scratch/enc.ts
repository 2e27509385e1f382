import * as E from '../test/helpers/encoders.js';
import { writeSyntheticDicom, gradientPixels } from '../test/helpers/syntheticDicom.js';
import { decodeImage } from '../main/imaging/decodeImage.js';
const rows = 37, columns = 45;
function rnd(seed: number) { return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; }; }
const r = rnd(1);
const vals12 = Array.from({ length: rows * columns }, (_, i) => Math.round(((i % columns) * 60 + Math.floor(i / columns) * 30 + r() * 200)) % 4096);
const vals8 = vals12.map((v) => v >> 4);
const signed = vals12.map((v) => v - 2048);
const cases: [string, string, number, 0|1, number[], Uint8Array | Promise<Uint8Array>][] = [
  ['j2k', '1.2.840.10008.1.2.4.90', 12, 0, vals12, E.encodeJpeg2000({ width: columns, height: rows, bitsPerSample: 12, values: vals12 })],
  ['j2k-signed', '1.2.840.10008.1.2.4.90', 12, 1, signed, E.encodeJpeg2000({ width: columns, height: rows, bitsPerSample: 12, signed: true, values: signed })],
  ['htj2k', '1.2.840.10008.1.2.4.201', 12, 0, vals12, E.encodeHtj2k({ width: columns, height: rows, bitsPerSample: 12, values: vals12 })],
  ['jls', '1.2.840.10008.1.2.4.80', 12, 0, vals12, E.encodeJpegLs({ width: columns, height: rows, bitsPerSample: 12, values: vals12 })],
  ['jls-signed', '1.2.840.10008.1.2.4.80', 12, 1, signed, E.encodeJpegLs({ width: columns, height: rows, bitsPerSample: 12, signed: true, values: signed })],
  ['jpeg8', '1.2.840.10008.1.2.4.50', 8, 0, vals8, E.encodeJpegBaseline({ width: columns, height: rows, bitsPerSample: 8, values: vals8 }, 100)],
  ['rle', '1.2.840.10008.1.2.5', 12, 0, vals12, E.encodeRle({ width: columns, height: rows, bitsPerSample: 12, values: vals12 }, 16)],
  ['lossless', '1.2.840.10008.1.2.4.70', 12, 0, vals12, E.encodeJpegLossless({ width: columns, height: rows, bitsPerSample: 12, values: vals12 })],
  ['lossless-signed', '1.2.840.10008.1.2.4.70', 12, 1, signed, E.encodeJpegLossless({ width: columns, height: rows, bitsPerSample: 12, signed: true, values: signed })],
  ['ext12', '1.2.840.10008.1.2.4.51', 12, 0, vals12, E.encodeJpegExtended({ width: columns, height: rows, bitsPerSample: 12, values: vals12 })],
  ['ext8', '1.2.840.10008.1.2.4.51', 8, 0, vals8, E.encodeJpegExtended({ width: columns, height: rows, bitsPerSample: 8, values: vals8 })],
];
for (const [name, ts, bits, pr, vals, encP] of cases) {
  try {
    const enc = await encP;
    const buf = writeSyntheticDicom({ rows, columns, bitsAllocated: bits > 8 ? 16 : 8, bitsStored: bits, pixelRepresentation: pr, transferSyntax: ts, encapsulatedFrames: [enc] });
    const img = await decodeImage(buf, name + '.dcm');
    let maxd = 0, sum = 0; for (let i = 0; i < vals.length; i++) { const d = img.stored[i]! - vals[i]!; sum += d; maxd = Math.max(maxd, Math.abs(d)); }
    console.log(name, enc.length, img.stored.constructor.name, 'maxd', maxd, 'meanDiff', (sum / vals.length).toFixed(3));
  } catch (e) { console.log(name, 'ERR', e); }
}
