import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_EVENTS } from '../../main/api/contract.js';
import type { PacsRetrieveProgress } from '../../main/api/pacs.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { AuditLog } from '../../main/db/AuditLog.js';
import { decodeImage } from '../../main/imaging/decodeImage.js';
import { sha256Hex } from '../../main/common/sha256.js';
import { readPart10 } from '../../main/reports/dicom/dicomCommon.js';
import { encodeJpegLossless, encodeRle } from '../helpers/encoders.js';
import { OrthancServer } from '../helpers/orthanc.js';
import { MIAS_FIXTURE, SHARED_DICOM, hasSharedData } from '../helpers/paths.js';
import { decodePgm, decodePng, isPng } from '../../main/imaging/rasterFormats.js';
import { rasterToDicom } from '../../main/server/rasterToDicom.js';
import { MiasImporter } from '../../main/studies/mias/MiasImporter.js';
import { testUid, writeSyntheticDicom } from '../helpers/syntheticDicom.js';
import { useTempDir } from '../helpers/tempDir.js';
import { nonBreastInstance, screeningStudy, truncatedInstance, type GeneratedStudy } from './pacsStudies.js';

const USER = 'reader';
const PASSWORD = 'orthanc-test-secret-7f3a';

describe('PACS query/retrieve over DICOMweb (real Orthanc)', () => {
  const tempDir = useTempDir();
  let orthanc: OrthancServer;
  let sourceDir: string;
  let doe: GeneratedStudy;
  let roe: GeneratedStudy;

  beforeAll(async () => {
    orthanc = await OrthancServer.start({ users: { [USER]: PASSWORD } });
    sourceDir = mkdtempSync(join(tmpdir(), 'mammo-pacs-src-'));
    doe = screeningStudy({
      patientId: 'PACS-1',
      patientName: 'Doe^Jane',
      studyDate: '20240315',
      accessionNumber: 'ACC-1',
    });
    roe = screeningStudy({
      patientId: 'PACS-2',
      patientName: 'Roe^Ann',
      studyDate: '20230110',
      accessionNumber: 'ACC-2',
    });
    for (const study of [doe, roe])
      for (const instance of study.instances) {
        await orthanc.store(instance.file);
        writeFileSync(join(sourceDir, `${instance.sopInstanceUid}.dcm`), instance.file);
      }
    await orthanc.store(nonBreastInstance(doe));
    await orthanc.store(truncatedInstance(doe));
  });

  afterAll(async () => {
    await orthanc?.stop();
    if (sourceDir) rmSync(sourceDir, { recursive: true, force: true });
  });

  function openWorkspace(): MammoBackend {
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: tempDir() });
    return backend;
  }

  async function addNode(backend: MammoBackend, password = PASSWORD): Promise<void> {
    await backend.savePacsNode({
      name: 'orthanc',
      url: orthanc.dicomWebUrl,
      auth: 'basic',
      username: USER,
      secret: password,
      aeTitle: orthanc.aeTitle,
      host: '127.0.0.1',
      port: orthanc.dicomPort,
    });
  }

  it('keeps the secret in the back end: never listed, never in the audit log; test connection works', async () => {
    const backend = openWorkspace();
    try {
      await addNode(backend);
      const listed = await backend.listPacsNodes({});
      expect(listed).toEqual([expect.objectContaining({ name: 'orthanc', auth: 'basic', hasSecret: true })]);
      expect(JSON.stringify(listed)).not.toContain(PASSWORD);
      expect(JSON.stringify(new AuditLog(backend.workspace.db).list())).not.toContain(PASSWORD);

      const test = await backend.testPacsNode({ name: 'orthanc' });
      expect(test.dicomweb).toMatchObject({ ok: true });
      // C-ECHO to Orthanc's own DICOM port (Orthanc answers any calling AE here).
      expect(test.echo).toMatchObject({ ok: true });
    } finally {
      await backend.close();
    }
  });

  it('wrong credentials: a clear error, without the password in it', async () => {
    const backend = openWorkspace();
    try {
      await addNode(backend, 'wrong-password');
      const failure = backend.queryPacs({ node: 'orthanc', patientId: 'PACS-1' });
      await expect(failure).rejects.toThrow(
        /PACS "orthanc": study search failed: the credentials were refused \(HTTP 401\)/,
      );
      await expect(failure).rejects.not.toThrow(/wrong-password/);
      expect((await backend.testPacsNode({ name: 'orthanc' })).dicomweb).toMatchObject({ ok: false });
    } finally {
      await backend.close();
    }
  });

  it('QIDO-RS: searches by patient name, ID, accession and date range (breast imaging by default)', async () => {
    const backend = openWorkspace();
    try {
      await addNode(backend);
      const uids = async (query: Record<string, string>): Promise<string[]> =>
        (await backend.queryPacs({ node: 'orthanc', ...query })).map((s) => s.studyInstanceUid).sort();
      expect(await uids({ patientName: 'Doe' })).toEqual([doe.studyInstanceUid]);
      expect(await uids({ patientId: 'PACS-2' })).toEqual([roe.studyInstanceUid]);
      expect(await uids({ accessionNumber: 'ACC-1' })).toEqual([doe.studyInstanceUid]);
      expect(await uids({ from: '20240101', to: '20241231' })).toEqual([doe.studyInstanceUid]);
      expect(await uids({ to: '20231231' })).toEqual([roe.studyInstanceUid]);
      expect(await uids({ patientId: 'PACS-1', modality: 'CT' })).toEqual([doe.studyInstanceUid]);
      expect(await uids({ patientId: 'PACS-1', modality: 'US' })).toEqual([]);
      const [found] = await backend.queryPacs({ node: 'orthanc', patientId: 'PACS-1' });
      expect(found).toMatchObject({
        patientName: 'Doe^Jane',
        studyDate: '20240315',
        accessionNumber: 'ACC-1',
        numberOfInstances: 6,
        localStudyId: null,
      });
      expect(found!.modalities).toEqual(expect.arrayContaining(['MG', 'CT']));
    } finally {
      await backend.close();
    }
  });

  it('WADO-RS retrieve: through the import path, pixels as a direct import, errors per instance, never twice', async () => {
    const backend = openWorkspace();
    const direct = openWorkspace();
    try {
      await addNode(backend);
      const progress: PacsRetrieveProgress[] = [];
      const stop = backend.subscribe(API_EVENTS.pacsRetrieveProgress, (p) => progress.push(p));
      const result = await backend.retrievePacsStudy({
        node: 'orthanc',
        studyInstanceUid: doe.studyInstanceUid,
      });
      stop();
      expect(result).toMatchObject({ imported: 4, skipped: 0, cancelled: false });
      // The CT slice and the truncated instance fail, each with its own reason; the rest went in.
      expect(result.errors.map((e) => e.reason).sort()).toEqual([
        expect.stringMatching(/^modality CT \(CHEST\) is not breast imaging/),
        expect.stringMatching(/^truncated pixel data/),
      ]);
      expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(progress.every((p) => p.total === 6)).toBe(true);
      expect(progress.at(-1)!.bytes).toBe(result.bytes);
      expect(result.studies).toEqual([
        expect.objectContaining({ imageCount: 4, views: ['LCC', 'LMLO', 'RCC', 'RMLO'] }),
      ]);
      // Nothing of the refused instances was kept; the incoming folder is empty again.
      expect(readdirSync(join(backend.workspace.root, 'incoming'))).toEqual([]);

      // The same study imported from the files: every view decodes to the same stored values,
      // and those are the values written into the files.
      await direct.importFiles({ paths: [sourceDir], format: 'dicom' });
      const retrieved = await backend.getStudy({ studyId: result.studies[0]!.id });
      const directStudy = (await direct.listStudies({})).find((s) => s.patientId === 'PACS-1')!;
      const directImages = (await direct.getStudy({ studyId: directStudy.id })).images;
      for (const image of retrieved.images) {
        const twin = directImages.find((i) => i.sopInstanceUid === image.sopInstanceUid)!;
        const fromPacs = await decodeImage(readFileSync(backend.workspace.resolvePath(image.path)));
        const fromFile = await decodeImage(readFileSync(direct.workspace.resolvePath(twin.path)));
        const written = doe.instances.find((i) => i.sopInstanceUid === image.sopInstanceUid)!.pixels;
        expect(Array.from(fromPacs.stored)).toEqual(Array.from(fromFile.stored));
        expect(Array.from(fromPacs.stored)).toEqual(written);
      }

      // The query now says the study is here; a second retrieve fetches nothing.
      const [again] = await backend.queryPacs({ node: 'orthanc', patientId: 'PACS-1' });
      expect(again!.localStudyId).toBe(retrieved.study.id);
      const second = await backend.retrievePacsStudy({
        node: 'orthanc',
        studyInstanceUid: doe.studyInstanceUid,
      });
      expect(second).toMatchObject({ imported: 0, skipped: 4 });
      expect(second.errors).toHaveLength(2);
    } finally {
      await backend.close();
      await direct.close();
    }
  });

  it('cancel, then resume: the second retrieve fetches only what is missing', async () => {
    const backend = openWorkspace();
    try {
      await addNode(backend);
      const stop = backend.subscribe(API_EVENTS.pacsRetrieveProgress, (p) => {
        if (p.done === 2) void backend.cancelPacsRetrieve({ studyInstanceUid: roe.studyInstanceUid });
      });
      const first = await backend.retrievePacsStudy({
        node: 'orthanc',
        studyInstanceUid: roe.studyInstanceUid,
      });
      stop();
      expect(first).toMatchObject({ imported: 2, cancelled: true, errors: [] });
      expect((await backend.listStudies({}))[0]).toMatchObject({ imageCount: 2 });
      const resumed = await backend.retrievePacsStudy({
        node: 'orthanc',
        studyInstanceUid: roe.studyInstanceUid,
      });
      expect(resumed).toMatchObject({ imported: 2, skipped: 2, cancelled: false, errors: [] });
      expect((await backend.listStudies({}))[0]).toMatchObject({ imageCount: 4 });
    } finally {
      await backend.close();
    }
  });

  it('keeps the stored transfer syntax: compressed instances come back byte for byte', async () => {
    const studyInstanceUid = testUid();
    const rows = 40;
    const columns = 32;
    const values = Array.from({ length: rows * columns }, (_, i) => (i * 53) % 4096);
    const frame = { width: columns, height: rows, bitsPerSample: 12, values };
    const files = [
      { syntax: '1.2.840.10008.1.2.5', encoded: encodeRle(frame, 16), laterality: 'R' },
      { syntax: '1.2.840.10008.1.2.4.70', encoded: encodeJpegLossless(frame), laterality: 'L' },
    ].map(({ syntax, encoded, laterality }) =>
      writeSyntheticDicom({
        rows,
        columns,
        bitsAllocated: 16,
        bitsStored: 12,
        transferSyntax: syntax,
        encapsulatedFrames: [encoded],
        patientId: 'PACS-3',
        studyInstanceUid,
        imageLaterality: laterality,
        viewPosition: 'CC',
      }),
    );
    // The shared WG04 mammograms (JPEG 2000, 12-bit lossy JPEG), where the data is present.
    const shared = hasSharedData
      ? ['MG1_J2KI.dcm', 'MG1_JPLY.dcm'].map((name) => readFileSync(join(SHARED_DICOM, name)))
      : [];
    for (const file of [...files, ...shared]) await orthanc.store(file);
    const backend = openWorkspace();
    try {
      await addNode(backend);
      const uids = new Set([
        studyInstanceUid,
        ...shared.map((file) => String(readPart10(file)['StudyInstanceUID'])),
      ]);
      for (const uid of uids) {
        const result = await backend.retrievePacsStudy({ node: 'orthanc', studyInstanceUid: uid });
        expect(result.errors, uid).toEqual([]);
      }
      const stored = new Set(
        (await Promise.all((await backend.listStudies({})).map((s) => backend.getStudy({ studyId: s.id }))))
          .flatMap((detail) => detail.images)
          .map((image) => image.sha256),
      );
      for (const file of [...files, ...shared]) expect(stored.has(sha256Hex(file))).toBe(true);
      expect(stored.size).toBe(files.length + shared.length);
    } finally {
      await backend.close();
    }
  });

  it('mini-MIAS studies wrapped as DICOM: retrieved pixels are the raster samples', async () => {
    // The committed fixtures, imported, wrapped the way the viewer receives them, stored in Orthanc.
    const source = openWorkspace();
    const target = openWorkspace();
    try {
      // The importer alone: `importFiles` would also build training samples, not needed here.
      const { studies } = await new MiasImporter(source.workspace).importFolder(MIAS_FIXTURE);
      const expected = new Map<string, ArrayLike<number>>();
      for (const summary of studies) {
        const detail = await source.getStudy({ studyId: summary.id });
        for (const image of detail.images) {
          const bytes = readFileSync(source.workspace.resolvePath(image.path));
          const raster = isPng(bytes) ? decodePng(bytes) : decodePgm(bytes);
          const series = detail.series.find((s) => s.id === image.seriesId)!;
          await orthanc.store(rasterToDicom(raster, image, detail.study, series.seriesUid));
          expected.set(image.sopInstanceUid, raster.samples);
        }
      }
      await addNode(target);
      for (const summary of studies) {
        const uid = (await source.getStudy({ studyId: summary.id })).study.studyUid;
        const result = await target.retrievePacsStudy({ node: 'orthanc', studyInstanceUid: uid });
        expect(result, uid).toMatchObject({ errors: [], imported: summary.imageCount });
      }
      for (const summary of await target.listStudies({})) {
        for (const image of (await target.getStudy({ studyId: summary.id })).images) {
          const decoded = await decodeImage(readFileSync(target.workspace.resolvePath(image.path)));
          const samples = expected.get(image.sopInstanceUid)!;
          // Counted rather than compared with toEqual: a million-element diff is slow to build.
          let differing = 0;
          for (let i = 0; i < samples.length; i++) if (decoded.stored[i] !== samples[i]) differing++;
          expect(decoded.stored.length).toBe(samples.length);
          expect(differing, image.sopInstanceUid).toBe(0);
        }
      }
      expect((await target.listStudies({})).reduce((n, s) => n + s.imageCount, 0)).toBe(expected.size);
    } finally {
      await source.close();
      await target.close();
    }
  });
});
