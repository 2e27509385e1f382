/**
 * Generates the damaged-file corpus of the import fault suite from small synthetic DICOM files:
 * truncations at many offsets (of the file, and of a compressed stream inside a well-formed file),
 * byte flips in the header and in the pixels, wrong transfer
 * syntaxes, false dimensions, absurd element lengths, a deflate bomb after Pixel Data and one
 * before it (a 3 GiB private element in 3 MB). Every file gets fresh
 * UIDs so that none is skipped as another's duplicate.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { encodeJpegLossless, encodeRle } from '../helpers/encoders.js';
import { gradientPixels, part10HeaderLength, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { headerDeflateBomb } from './headerDeflateBomb.js';

export interface DamagedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const ROWS = 48;
const COLUMNS = 40;
const base = { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, bitsStored: 12 } as const;
const frame = { width: COLUMNS, height: ROWS, bitsPerSample: 12, values: gradientPixels(ROWS, COLUMNS, 12) };

const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.70';
const RLE = '1.2.840.10008.1.2.5';
const OTHER_ENCAPSULATED = [
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.201',
  RLE,
  JPEG_LOSSLESS,
];

type Extra = Parameters<typeof writeSyntheticDicom>[0];

/** The intact files every damage is applied to, each written anew (fresh UIDs) per call. */
const intact: Record<string, (extra?: Extra) => Uint8Array> = {
  native: (extra) => writeSyntheticDicom({ ...base, ...extra }),
  jpegLossless: (extra) =>
    writeSyntheticDicom({
      ...base,
      transferSyntax: JPEG_LOSSLESS,
      encapsulatedFrames: [encodeJpegLossless(frame)],
      ...extra,
    }),
  rle: (extra) =>
    writeSyntheticDicom({
      ...base,
      transferSyntax: RLE,
      encapsulatedFrames: [encodeRle(frame, 16)],
      ...extra,
    }),
  deflated: (extra) => writeSyntheticDicom({ ...base, transferSyntax: 'deflated-le', ...extra }),
};

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

/** Offset of a tag's element header in an explicit little-endian file, or -1. */
function tagOffset(bytes: Uint8Array, group: number, element: number): number {
  for (let i = 132; i + 4 <= bytes.length; i++) {
    if (bytes[i] === (group & 0xff) && bytes[i + 1] === group >> 8 && bytes[i + 2] === (element & 0xff))
      if (bytes[i + 3] === element >> 8) return i;
  }
  return -1;
}

/** PixelSpacing values the import refuses, by the name their file gets. */
export const BAD_PIXEL_SPACINGS: Record<string, (string | number)[]> = {
  'single-value': [0.1],
  zero: [0, 0],
  negative: [-0.1, -0.1],
  nan: ['NaN', 'NaN'],
  text: ['abc', 'def'],
  'too-coarse': [5, 5],
  'three-values': [0.1, 0.1, 0.1],
};

/** The whole corpus; `bombBytes` is how far the deflate bomb inflates. */
export function damagedFileCorpus(bombBytes: number): DamagedFile[] {
  const files: DamagedFile[] = [];
  for (const [kind, write] of Object.entries(intact)) {
    const length = write().length;
    for (let k = 1; k <= 12; k++) {
      const cut = Math.floor((length * k) / 13);
      files.push({ name: `${kind}-truncated-at-${cut}.dcm`, bytes: write().subarray(0, cut) });
    }
    const header = part10HeaderLength(write());
    for (let k = 0; k < 8; k++) {
      const at = 128 + Math.floor(((header + 200 - 128) * k) / 8);
      files.push({ name: `${kind}-header-flip-${at}.dcm`, bytes: flipped(write(), at) });
    }
    for (let k = 1; k <= 8; k++) {
      const at = length - Math.floor((Math.min(length - header, 1200) * k) / 9);
      files.push({ name: `${kind}-pixel-flip-${at}.dcm`, bytes: flipped(write(), at) });
    }
    files.push({ name: `${kind}-rows-doubled.dcm`, bytes: write({ extra: { Rows: ROWS * 2 } }) });
    files.push({ name: `${kind}-columns-halved.dcm`, bytes: write({ extra: { Columns: COLUMNS / 2 } }) });
  }
  // Compressed streams cut short inside well-formed files (the fragment and its delimiters intact):
  // only the codec can tell.
  for (const [kind, stream] of [
    ['jpegLossless', encodeJpegLossless(frame)],
    ['rle', encodeRle(frame, 16)],
  ] as const) {
    for (const cut of [stream.length >> 2, stream.length >> 1, (stream.length * 3) >> 2, stream.length - 2]) {
      files.push({
        name: `${kind}-stream-cut-at-${cut}.dcm`,
        bytes: intact[kind]!({ encapsulatedFrames: [stream.subarray(0, cut)] }),
      });
    }
  }
  // Wrong transfer syntax: each encapsulated stream labelled as the other codecs, native as big endian.
  for (const [kind, stream] of [
    ['jpegLossless', encodeJpegLossless(frame)],
    ['rle', encodeRle(frame, 16)],
  ] as const) {
    for (const syntax of OTHER_ENCAPSULATED) {
      const bytes = writeSyntheticDicom({ ...base, transferSyntax: syntax, encapsulatedFrames: [stream] });
      files.push({ name: `${kind}-labelled-${syntax}.dcm`, bytes });
    }
  }
  files.push({
    name: 'native-labelled-big-endian.dcm',
    bytes: relabelled(intact.native!(), '1.2.840.10008.1.2.2'),
  });
  files.push({
    name: 'native-labelled-unknown-syntax.dcm',
    bytes: relabelled(intact.native!(), '1.2.840.10008.1.2.4.50'),
  });
  // Absurd lengths: Pixel Data and a patient attribute claiming nearly 4 GiB.
  for (const [tag, group, element] of [
    ['pixel-data', 0x7fe0, 0x0010],
    ['patient-name', 0x0010, 0x0010],
  ] as const) {
    const bytes = Uint8Array.from(intact.native!());
    const at = tagOffset(bytes, group, element);
    const view = new DataView(bytes.buffer);
    const longForm = group === 0x7fe0;
    if (longForm) view.setUint32(at + 8, 0xfffffff0, true);
    else view.setUint16(at + 6, 0xfff0, true);
    files.push({ name: `native-absurd-length-${tag}.dcm`, bytes });
  }
  files.push({ name: 'deflate-bomb.dcm', bytes: deflateBomb(intact.deflated!(), bombBytes) });
  files.push({ name: 'header-deflate-bomb.dcm', bytes: headerDeflateBomb(intact.deflated!()) });
  // Headers no mammogram can have, each refused by name: PixelSpacing that is not two numbers
  // within 0.01-1 mm, a line of pixels, no Modality.
  for (const [name, spacing] of Object.entries(BAD_PIXEL_SPACINGS)) {
    files.push({
      name: `pixel-spacing-${name}.dcm`,
      bytes: intact.native!({ extra: { PixelSpacing: spacing } }),
    });
  }
  files.push({
    name: 'columns-1.dcm',
    bytes: writeSyntheticDicom({
      ...base,
      rows: 4664,
      columns: 1,
      pixels: new Array<number>(4664).fill(100),
    }),
  });
  files.push({ name: 'no-modality.dcm', bytes: intact.native!({ omit: ['Modality'] }) });
  files.push({
    name: 'dimensions-30000.dcm',
    bytes: intact.deflated!({ extra: { Rows: 30000, Columns: 30000 } }),
  });
  return files;
}

/** The same file with another transfer syntax UID of the same length in its meta header. */
function relabelled(bytes: Uint8Array, uid: string): Uint8Array {
  const text = Buffer.from(bytes);
  const current = '1.2.840.10008.1.2.1';
  const at = text.indexOf(current, 132, 'latin1');
  const padded = Buffer.from(uid.padEnd(current.length + 1, '\0').slice(0, current.length + 1), 'latin1');
  const out = Buffer.from(bytes);
  padded.copy(out, at);
  return out;
}

/** A deflated file whose data set is followed by zeros that inflate to `size` bytes. */
function deflateBomb(deflatedFile: Uint8Array, size: number): Uint8Array {
  const headerEnd = part10HeaderLength(deflatedFile);
  const dataSet = inflateRawSync(deflatedFile.subarray(headerEnd));
  const inflated = Buffer.alloc(dataSet.length + size);
  inflated.set(dataSet, 0);
  return Buffer.concat([deflatedFile.subarray(0, headerEnd), deflateRawSync(inflated, { level: 1 })]);
}
