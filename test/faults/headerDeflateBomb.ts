import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { part10HeaderLength } from '../helpers/syntheticDicom.js';

/** Zeros per repeated compressed block: about 4 KB of deflate each. */
const ZERO_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * A Deflated Explicit VR Little Endian file whose data set holds, just before Pixel Data, a private
 * OB element (7FDF,1010) of `elementBytes` zeros: 3 GiB by default, in about 3 MB of file, as the
 * issue-20 campaign's file was. Built from compressed pieces (each ends in a full flush, so a block
 * of zeros can be repeated) without ever holding the inflated bytes.
 */
export function headerDeflateBomb(deflatedFile: Uint8Array, elementBytes = 3 * 1024 ** 3): Uint8Array {
  if (elementBytes % ZERO_BLOCK_BYTES !== 0 || elementBytes > 0xfffffffe)
    throw new Error(`the element's length is a multiple of ${ZERO_BLOCK_BYTES} below 4 GiB`);
  const headerEnd = part10HeaderLength(deflatedFile);
  const dataSet = inflateRawSync(deflatedFile.subarray(headerEnd));
  const pixelDataAt = Buffer.from(dataSet).lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  if (pixelDataAt < 0) throw new Error('the file has no Pixel Data');
  const creator = Buffer.concat([
    Buffer.from([0xdf, 0x7f, 0x10, 0x00]),
    Buffer.from('LO'),
    u16(10),
    Buffer.from('MAMMO BOMB'),
  ]);
  const blob = Buffer.concat([
    Buffer.from([0xdf, 0x7f, 0x10, 0x10]),
    Buffer.from('OB'),
    u16(0),
    u32(elementBytes),
  ]);
  const flushed = { finishFlush: zlibConstants.Z_FULL_FLUSH };
  const zeros = deflateRawSync(Buffer.alloc(ZERO_BLOCK_BYTES), flushed);
  return Buffer.concat([
    deflatedFile.subarray(0, headerEnd),
    deflateRawSync(Buffer.concat([dataSet.subarray(0, pixelDataAt), creator, blob]), flushed),
    ...Array.from({ length: elementBytes / ZERO_BLOCK_BYTES }, () => zeros),
    deflateRawSync(dataSet.subarray(pixelDataAt)),
  ]);
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(value);
  return bytes;
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}
