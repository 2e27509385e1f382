import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainingSample } from '../../main/api/training.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import type { EvaluationCase } from '../../main/evaluation/scoreEvaluation.js';
import { gateSets } from '../../main/training/gateSets.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('the gate’s validation sets', () => {
  const tempDir = useTempDir();

  it('group validation images by the data set they were imported from: the fine-tune’s own is the site’s, any other the parent’s', async () => {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    const dicomDir = tempDir();
    writeFileSync(
      join(dicomDir, 'site.dcm'),
      writeSyntheticDicom({ rows: 64, columns: 64, patientId: 'D1', modality: 'MG' } as never),
    );
    await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    await backend.importFiles({ paths: [dicomDir], format: 'dicom' });
    const images = (await backend.listStudies({})).flatMap((study) => [study.id]);
    const details = await Promise.all(images.map((studyId) => backend.getStudy({ studyId })));
    const mias = details.filter((d) => d.study.patient.patientId.startsWith('MIAS')).flatMap((d) => d.images);
    const dicom = details.filter((d) => d.study.patient.patientId === 'D1').flatMap((d) => d.images);
    expect(mias.length).toBe(6);
    expect(dicom.length).toBe(1);
    const sample = (imageId: number, path: string) =>
      ({ imageId, path, patientId: `P${imageId}` }) as TrainingSample;
    const validation = [
      sample(mias[0]!.id, 'training/a.png'),
      sample(mias[1]!.id, 'training/b.png'),
      sample(dicom[0]!.id, 'training/c.png'),
    ];
    const resolve = (path: string) => `/ws/${path}`;
    const cases = (model: string) =>
      validation.map(
        (s) =>
          ({
            imageName: resolve(s.path),
            patientId: s.patientId,
            imageScore: model === 'a' ? 0.1 : 0.2,
          }) as EvaluationCase,
      );
    // The fine-tune learns a DICOM reader's correction: the DICOM images are the site's.
    const sets = gateSets(
      backend.workspace.db,
      validation,
      [sample(dicom[0]!.id, 'training/x.png')],
      cases('a'),
      cases('b'),
      resolve,
    );
    expect(
      sets.map((s) => [
        s.name,
        s.role,
        s.candidate.map((c) => c.imageName),
        s.current.map((c) => c.imageScore),
      ]),
    ).toEqual([
      ['dicom', 'site', ['/ws/training/c.png'], [0.2]],
      ['mias', 'parent', ['/ws/training/a.png', '/ws/training/b.png'], [0.2, 0.2]],
    ]);
    // Learning mini-MIAS labels: mini-MIAS is the site.
    const miasSite = gateSets(
      backend.workspace.db,
      validation,
      [sample(mias[2]!.id, 'training/y.png')],
      cases('a'),
      cases('b'),
      resolve,
    );
    expect(miasSite.map((s) => [s.name, s.role])).toEqual([
      ['mias', 'site'],
      ['dicom', 'parent'],
    ]);
    await backend.close();
  });
});
