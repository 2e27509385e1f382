import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { OrthancServer } from '../helpers/orthanc.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

/** One single-image study stored in Orthanc: its modality and body part decide whether it is breast imaging. */
function study(patientId: string, modality: string, bodyPartExamined: string, description: string) {
  const studyInstanceUid = testUid();
  const file = writeSyntheticDicom({
    rows: 32,
    columns: 24,
    patientId,
    patientName: 'Breast^Search',
    studyInstanceUid,
    studyDate: '20240601',
    studyDescription: description,
    seriesInstanceUid: testUid(),
    sopInstanceUid: testUid(),
    modality,
    bodyPartExamined,
    // Not MG: secondary capture, as the WG04 RG films are.
    ...(modality === 'MG' ? {} : { sopClassUid: '1.2.840.10008.5.1.4.1.1.7' }),
  });
  return { studyInstanceUid, file };
}

/** The PACS search for breast imaging against a real Orthanc (DICOMweb plugin). */
describe('PACS search for breast imaging (real Orthanc)', () => {
  const tempDir = useTempDir();
  let orthanc: OrthancServer;
  const mg = study('BS-MG', 'MG', 'BREAST', 'Screening mammography');
  // WG04's samples: breast films stored as RG.
  const rg = study('BS-RG', 'RG', 'BREAST', 'Malignant mass with micro-calcifications');
  const cr = study('BS-CR', 'CR', 'BREAST', 'Breast CR');
  const chest = study('BS-DX', 'DX', 'CHEST', 'Chest PA');

  beforeAll(async () => {
    orthanc = await OrthancServer.start();
    for (const s of [mg, rg, cr, chest]) await orthanc.store(s.file);
  });
  afterAll(async () => {
    await orthanc?.stop();
  });

  it('finds MG, and CR/DX/RG studies with a breast series, by default; shows descriptions', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    try {
      await backend.savePacsNode({ name: 'orthanc', url: orthanc.dicomWebUrl, auth: 'none' });
      const search = async (modality?: string) =>
        (await backend.queryPacs({ node: 'orthanc', ...(modality === undefined ? {} : { modality }) }))
          .map((s) => s.patientId)
          .sort();
      expect(await search()).toEqual(['BS-CR', 'BS-MG', 'BS-RG']);
      expect(await search('MG')).toEqual(['BS-MG']);
      expect(await search('')).toEqual(['BS-CR', 'BS-DX', 'BS-MG', 'BS-RG']);
      // includefield reached Orthanc (as repeated parameters): the description and counts come back.
      const found = await backend.queryPacs({ node: 'orthanc', patientId: 'BS-RG' });
      expect(found).toEqual([
        expect.objectContaining({
          studyInstanceUid: rg.studyInstanceUid,
          description: 'Malignant mass with micro-calcifications',
          modalities: ['RG'],
          numberOfInstances: 1,
        }),
      ]);
    } finally {
      await backend.close();
    }
  });

  it('Orthanc ignores an includefield list sent with an encoded comma (why the list is repeated)', async () => {
    const ask = async (query: string) =>
      (
        (await (await fetch(`${orthanc.dicomWebUrl}/studies?PatientID=BS-MG&${query}`)).json()) as Record<
          string,
          unknown
        >[]
      )[0]!;
    expect(await ask('includefield=00081030&includefield=00201208')).toHaveProperty('00081030');
    expect(await ask('includefield=00081030%2C00201208')).not.toHaveProperty('00081030');
  });
});
