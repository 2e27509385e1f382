import { describe, expect, it } from 'vitest';
import { studySearches, toPacsStudy, toQidoInstance } from '../../main/pacs/qidoStudy.js';

describe('QIDO-RS study searches (PS3.18 8.3.4)', () => {
  it('matches names by prefix, dates as a range, includefield repeated; breast imaging unless a modality is asked', () => {
    const searches = studySearches({
      node: 'n',
      patientName: 'Doe',
      patientId: '123',
      from: '20240101',
      to: '20241231',
    });
    // MG, then the general modalities whose studies must show a breast series (WG04's films are RG).
    expect(searches.map((s) => [s.params['ModalitiesInStudy'], s.needsBreastSeries])).toEqual([
      ['MG', false],
      ['CR', true],
      ['DX', true],
      ['RG', true],
    ]);
    for (const { params } of searches)
      expect(params).toMatchObject({
        PatientName: 'Doe*',
        PatientID: '123',
        StudyDate: '20240101-20241231',
        limit: '100',
        includefield: ['00081030', '00201208', '00080061'],
      });
    const one = (query: Omit<Parameters<typeof studySearches>[0], 'node'>) => {
      const [search, ...rest] = studySearches({ node: 'n', modality: 'MG', ...query });
      expect(rest).toEqual([]);
      return search!.params;
    };
    expect(one({ from: '20240101' })['StudyDate']).toBe('20240101-');
    expect(one({ to: '20240101' })['StudyDate']).toBe('-20240101');
    expect(one({ patientName: 'Do*' })['PatientName']).toBe('Do*');
    expect(one({ modality: 'MG' })['ModalitiesInStudy']).toBe('MG');
    expect(one({ modality: '' })).not.toHaveProperty('ModalitiesInStudy');
    expect(one({ accessionNumber: 'A1', limit: 5 })).toMatchObject({ AccessionNumber: 'A1', limit: '5' });
  });
});

describe('QIDO-RS results (DICOM JSON, PS3.18 F.2)', () => {
  it('reads a study: PN as Alphabetic, IS as number, every modality', () => {
    const study = toPacsStudy(
      {
        '0020000D': { vr: 'UI', Value: ['1.2.3'] },
        '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
        '00100020': { vr: 'LO', Value: ['P1'] },
        '00080020': { vr: 'DA', Value: ['20240315'] },
        '00080050': { vr: 'SH', Value: ['ACC'] },
        '00080061': { vr: 'CS', Value: ['MG', 'SR'] },
        '00201208': { vr: 'IS', Value: ['6'] },
        '00081030': { vr: 'LO' },
      },
      7,
    );
    expect(study).toEqual({
      studyInstanceUid: '1.2.3',
      patientId: 'P1',
      patientName: 'Doe^Jane',
      studyDate: '20240315',
      accessionNumber: 'ACC',
      description: null,
      modalities: ['MG', 'SR'],
      numberOfInstances: 6,
      localStudyId: 7,
    });
    expect(toPacsStudy({ '00100020': { vr: 'LO', Value: ['P1'] } }, null)).toBeNull();
  });

  it('reads an instance, or nothing without its series and SOP instance UIDs', () => {
    expect(
      toQidoInstance({
        '0020000E': { vr: 'UI', Value: ['1.2.3.4'] },
        '00080018': { vr: 'UI', Value: ['1.2.3.4.5'] },
        '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.1.2'] },
        '00200013': { vr: 'IS', Value: [3] },
      }),
    ).toEqual({
      seriesInstanceUid: '1.2.3.4',
      sopInstanceUid: '1.2.3.4.5',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
      modality: null,
      instanceNumber: 3,
    });
    expect(toQidoInstance({ '00080018': { vr: 'UI', Value: ['1.2'] } })).toBeNull();
  });
});
