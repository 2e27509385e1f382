/**
 * A DICOM lookup table (Modality LUT or VOI LUT item): LUT Descriptor plus LUT Data.
 * Plain data so that it survives structured cloning to and from workers.
 */
export interface LookupTable {
  /** Input value that maps to `data[0]`; inputs below/above clamp to the first/last entry. */
  readonly firstMapped: number;
  /** Declared bits per entry (LUT Descriptor value 3); the output range is 0 .. 2^bits - 1. */
  readonly bitsPerEntry: number;
  readonly data: Uint16Array;
  readonly explanation?: string;
}

/** The LUT output for an input value, clamping outside the mapped range (PS3.3 C.11.1.1). */
export function lookup(lut: LookupTable, x: number): number {
  const last = lut.data.length - 1;
  let index = Math.round(x) - lut.firstMapped;
  if (index < 0) index = 0;
  else if (index > last) index = last;
  return lut.data[index] ?? 0;
}

/** Largest value a LUT entry can hold according to its descriptor. */
export function lutMaxOutput(lut: LookupTable): number {
  return 2 ** lut.bitsPerEntry - 1;
}
