import type { DataSet } from 'dicom-parser';

/** Every element but Pixel Data, as its raw value bytes: two parses of one header compare equal. */
export function headerValues(dataSet: DataSet): Record<string, string> {
  return Object.fromEntries(
    Object.entries(dataSet.elements)
      .filter(([tag]) => tag !== 'x7fe00010')
      .map(([tag, e]) => [
        tag,
        Buffer.from(dataSet.byteArray.subarray(e.dataOffset, e.dataOffset + e.length)).toString('hex'),
      ]),
  );
}
