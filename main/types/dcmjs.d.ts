/** The small part of dcmjs (which ships no types) that the back end and the test helpers use. */
declare module 'dcmjs' {
  /** A naturalised data set: DICOM keywords to values, `_vrMap` to force VRs. */
  type NaturalDataset = Record<string, unknown>;

  interface DicomDictInstance {
    dict: Record<string, unknown>;
    write(options?: { fragmentMultiframe?: boolean; allowInvalidVRLength?: boolean }): ArrayBuffer;
  }

  interface DcmjsData {
    DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): Record<string, unknown>;
      naturalizeDataset(dataset: Record<string, unknown>): NaturalDataset;
      nameMap: Record<string, { tag: string; vr: string } | undefined>;
      uid(): string;
    };
    DicomMessage: {
      /** Parses a Part 10 file; `dict` holds the data set, `meta` the file meta group (both denaturalised). */
      readFile(
        buffer: ArrayBuffer,
        options?: { ignoreErrors?: boolean; untilTag?: string },
      ): DicomDictInstance & { meta: Record<string, unknown> };
    };
  }

  interface Dcmjs {
    data: DcmjsData;
    log: { setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void };
  }

  const dcmjs: Dcmjs;
  export default dcmjs;
}
