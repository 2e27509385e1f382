import type { DataSet, Element } from 'dicom-parser';
import type { LookupTable } from './lut.js';
import { IDENTITY_MODALITY, type ModalityTransform } from './modality.js';
import { parseVoiLutFunction, type VoiCandidates, type WindowSetting } from './voi.js';

/** Grayscale display attributes of a DICOM image: modality transform and VOI candidates. */
export interface DicomDisplayAttributes extends VoiCandidates {
  /** Modality (0008,0060), e.g. MG; undefined when absent. */
  readonly modality?: string;
  readonly modalityTransform: ModalityTransform;
}

/**
 * Reads a LUT item (LUT Descriptor, LUT Data, LUT Explanation). Returns undefined when the item is
 * unusable rather than throwing: a broken VOI LUT should fall back to the window, not lose the image.
 *
 * @param signedInput - read the first mapped value as SS when the VR is not explicit.
 */
export function readLutItem(item: DataSet, signedInput: boolean): LookupTable | undefined {
  const descriptor = item.elements['x00283002'];
  const dataElement = item.elements['x00283006'];
  if (!descriptor || !dataElement || descriptor.length < 6) return undefined;
  const declaredEntries = item.uint16('x00283002', 0) ?? 0;
  const entries = declaredEntries === 0 ? 65536 : declaredEntries;
  // The first mapped value is US or SS (its VR follows the input's sign); implicit VR hides which.
  const firstMappedSigned = descriptor.vr === 'SS' || (descriptor.vr !== 'US' && signedInput);
  const firstMapped = (firstMappedSigned ? item.int16('x00283002', 1) : item.uint16('x00283002', 1)) ?? 0;
  const bitsPerEntry = item.uint16('x00283002', 2) ?? 16;
  if (bitsPerEntry < 1 || bitsPerEntry > 16) return undefined;
  const data = readLutData(item, dataElement, entries, bitsPerEntry);
  if (data.length === 0) return undefined;
  const explanation = item.string('x00283003');
  return { firstMapped, bitsPerEntry, data, ...(explanation ? { explanation } : {}) };
}

/**
 * LUT Data holds one 16-bit word per entry, except that some writers pack 8-bit entries one per
 * byte; a byte length equal to the entry count is taken to mean the latter. A short element
 * yields a shorter table (clamping then repeats its last entry).
 */
function readLutData(item: DataSet, element: Element, entries: number, bitsPerEntry: number): Uint16Array {
  const available = Math.max(0, Math.min(element.length, item.byteArray.length - element.dataOffset));
  if (bitsPerEntry <= 8 && element.length === entries) {
    return Uint16Array.from(
      item.byteArray.subarray(element.dataOffset, element.dataOffset + Math.min(entries, available)),
    );
  }
  const count = Math.min(entries, Math.floor(available / 2));
  const data = new Uint16Array(count);
  for (let i = 0; i < count; i++)
    data[i] = item.byteArrayParser.readUint16(item.byteArray, element.dataOffset + 2 * i);
  return data;
}

function sequenceItems(ds: DataSet, tag: string): DataSet[] {
  const items = ds.elements[tag]?.items ?? [];
  return items.map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
}

function readWindows(ds: DataSet): WindowSetting[] {
  const count = Math.min(ds.numStringValues('x00281050') ?? 0, ds.numStringValues('x00281051') ?? 0);
  const windows: WindowSetting[] = [];
  for (let i = 0; i < count; i++) {
    const center = ds.floatString('x00281050', i);
    const width = ds.floatString('x00281051', i);
    if (center === undefined || width === undefined || !Number.isFinite(center) || !(width > 0)) continue;
    const explanation = ds.string('x00281055', i);
    windows.push({ center, width, ...(explanation ? { explanation } : {}) });
  }
  return windows;
}

function readModalityTransform(ds: DataSet, signedStored: boolean): ModalityTransform {
  const [lutItem] = sequenceItems(ds, 'x00283000');
  if (lutItem) {
    const lut = readLutItem(lutItem, signedStored);
    if (lut) return { kind: 'lut', lut };
  }
  const slope = ds.floatString('x00281053');
  const intercept = ds.floatString('x00281052');
  if (slope === undefined && intercept === undefined) return IDENTITY_MODALITY;
  const rescaleType = ds.string('x00281054');
  return {
    kind: 'rescale',
    // A zero or garbage slope would flatten the image; such files exist, and identity is the sane reading.
    slope: slope !== undefined && Number.isFinite(slope) && slope !== 0 ? slope : 1,
    intercept: intercept !== undefined && Number.isFinite(intercept) ? intercept : 0,
    ...(rescaleType ? { rescaleType } : {}),
  };
}

/**
 * Reads Modality, the modality transform (Modality LUT Sequence, else Rescale Slope/Intercept)
 * and the VOI candidates (VOI LUT Sequence items, Window Center/Width pairs, VOI LUT Function).
 *
 * @param pixelRepresentation - decides how LUT first-mapped values are read under implicit VR.
 */
export function readDisplayAttributes(ds: DataSet, pixelRepresentation: 0 | 1): DicomDisplayAttributes {
  const modalityTransform = readModalityTransform(ds, pixelRepresentation === 1);
  // VOI LUT inputs are modality values, which are negative when stored values are signed or the
  // rescale shifts them below zero.
  const signedVoiInput =
    pixelRepresentation === 1 || (modalityTransform.kind === 'rescale' && modalityTransform.intercept < 0);
  const voiLuts = sequenceItems(ds, 'x00283010')
    .map((item) => readLutItem(item, signedVoiInput))
    .filter((l): l is LookupTable => l !== undefined);
  const modality = ds.string('x00080060')?.trim();
  return {
    ...(modality ? { modality } : {}),
    modalityTransform,
    windows: readWindows(ds),
    voiLutFunction: parseVoiLutFunction(ds.string('x00281056')),
    voiLuts,
  };
}
