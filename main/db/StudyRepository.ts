import type Database from 'better-sqlite3';
import type {
  GroundTruthDetails,
  GroundTruthFinding,
  Image,
  Patient,
  Series,
  Study,
  StudyDetail,
  StudySummary,
} from '../api/domain.js';

export type NewPatient = Omit<Patient, 'id'>;
export type NewStudy = Omit<Study, 'id' | 'patient' | 'importedAt'>;
export type NewSeries = Omit<Series, 'id' | 'studyId'>;
export type NewImage = Omit<Image, 'id' | 'seriesId' | 'studyId'>;
export type NewGroundTruthFinding = Omit<GroundTruthFinding, 'id' | 'imageId'>;

interface ImageRow {
  id: number;
  sop_instance_uid: string;
  sop_class_uid: string | null;
  series_pk: number;
  study_pk: number;
  instance_number: number | null;
  laterality: Image['laterality'];
  view: string | null;
  presentation_intent: Image['presentationIntent'];
  for_display: number;
  photometric: string;
  bits_allocated: number;
  bits_stored: number;
  pixel_representation: number;
  rows: number;
  columns: number;
  pixel_spacing_row: number | null;
  pixel_spacing_col: number | null;
  pixel_spacing_source: Image['pixelSpacingSource'];
  pixel_spacing_note: string | null;
  window_center: number | null;
  window_width: number | null;
  voi_lut_function: string | null;
  has_voi_lut_sequence: number;
  transfer_syntax_uid: string | null;
  format: Image['format'];
  rel_path: string;
  sha256: string;
  file_size: number;
}

const IMAGE_SELECT = `SELECT images.*, series.study_pk AS study_pk FROM images JOIN series ON series.id = images.series_pk`;

/** Patients, studies, series and images: the tables the importer fills and the worklist reads. */
export class StudyRepository {
  constructor(private readonly db: Database.Database) {}

  findImageBySopInstanceUid(uid: string): Image | null {
    const row = this.db.prepare(`${IMAGE_SELECT} WHERE images.sop_instance_uid = ?`).get(uid) as
      ImageRow | undefined;
    return row ? toImage(row) : null;
  }

  /** Whether any image records a stored file with this content hash. */
  isSha256Referenced(sha256: string): boolean {
    return this.db.prepare('SELECT 1 FROM images WHERE sha256 = ? LIMIT 1').get(sha256) !== undefined;
  }

  /** The study's row id for a StudyInstanceUID, or null. */
  findStudyIdByUid(uid: string): number | null {
    const row = this.db.prepare('SELECT id FROM studies WHERE study_uid = ?').get(uid) as
      { id: number } | undefined;
    return row?.id ?? null;
  }

  /** The workspace path of a ground-truth finding's outline mask, or null when it has none. */
  getGroundTruthOutlinePath(findingId: number): string | null {
    const row = this.db
      .prepare('SELECT outline_path FROM ground_truth_findings WHERE id = ?')
      .get(findingId) as { outline_path: string | null } | undefined;
    return row?.outline_path ?? null;
  }

  /** Each image's imported ground-truth abnormality classes (mini-MIAS CIRC, CALC, ...; CBIS-DDSM MASS). */
  groundTruthClassesByImage(): Map<number, string[]> {
    const classes = new Map<number, string[]>();
    const rows = this.db
      .prepare('SELECT image_pk, abnormality_class FROM ground_truth_findings ORDER BY id')
      .all() as { image_pk: number; abnormality_class: string }[];
    for (const row of rows)
      classes.set(row.image_pk, [...(classes.get(row.image_pk) ?? []), row.abnormality_class]);
    return classes;
  }

  /** One image's imported ground truth, in import order. */
  getGroundTruthOfImage(imageId: number): GroundTruthFinding[] {
    return (
      this.db
        .prepare('SELECT * FROM ground_truth_findings WHERE image_pk = ? ORDER BY id')
        .all(imageId) as GroundTruthRow[]
    ).map(toGroundTruthFinding);
  }

  getImage(id: number): Image | null {
    const row = this.db.prepare(`${IMAGE_SELECT} WHERE images.id = ?`).get(id) as ImageRow | undefined;
    return row ? toImage(row) : null;
  }

  /** Inserts the patient, or updates the demographics of the one with the same patient id. */
  upsertPatient(patient: NewPatient): number {
    return (
      this.db
        .prepare(
          `INSERT INTO patients (patient_id, name, birth_date, sex) VALUES (@patientId, @name, @birthDate, @sex)
           ON CONFLICT(patient_id) DO UPDATE SET
             name = coalesce(excluded.name, name), birth_date = coalesce(excluded.birth_date, birth_date),
             sex = coalesce(excluded.sex, sex)
           RETURNING id`,
        )
        .get(patient) as { id: number }
    ).id;
  }

  /**
   * The patient, study and series rows of a research data set's image, which carry no
   * demographics, dates or accession number: inserted when new. Call inside a transaction.
   */
  upsertDataSetSeries(
    identity: { patientId: string; studyUid: string; seriesUid: string },
    study: Pick<NewStudy, 'description' | 'source'>,
    series: Omit<NewSeries, 'seriesUid'>,
    importedAt: string,
  ): { studyPk: number; seriesPk: number } {
    const patientPk = this.upsertPatient({
      patientId: identity.patientId,
      name: null,
      birthDate: null,
      sex: null,
    });
    const studyPk = this.upsertStudy(
      patientPk,
      { studyUid: identity.studyUid, studyDate: null, accessionNumber: null, ...study },
      importedAt,
    );
    return { studyPk, seriesPk: this.upsertSeries(studyPk, { seriesUid: identity.seriesUid, ...series }) };
  }

  upsertStudy(patientPk: number, study: NewStudy, importedAt: string): number {
    const existing = this.findStudyIdByUid(study.studyUid);
    if (existing !== null) return existing;
    return Number(
      this.db
        .prepare(
          `INSERT INTO studies (study_uid, patient_pk, study_date, accession_number, description, source, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          study.studyUid,
          patientPk,
          study.studyDate,
          study.accessionNumber,
          study.description,
          study.source,
          importedAt,
        ).lastInsertRowid,
    );
  }

  upsertSeries(studyPk: number, series: NewSeries): number {
    const existing = this.db.prepare('SELECT id FROM series WHERE series_uid = ?').get(series.seriesUid) as
      { id: number } | undefined;
    if (existing) return existing.id;
    return Number(
      this.db
        .prepare(
          `INSERT INTO series (series_uid, study_pk, modality, series_number, description, body_part)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          series.seriesUid,
          studyPk,
          series.modality,
          series.seriesNumber,
          series.description,
          series.bodyPart,
        ).lastInsertRowid,
    );
  }

  insertImage(seriesPk: number, image: NewImage, importedAt: string): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO images (sop_instance_uid, sop_class_uid, series_pk, instance_number, laterality, view,
             presentation_intent, for_display, photometric, bits_allocated, bits_stored, pixel_representation,
             rows, columns, pixel_spacing_row, pixel_spacing_col, pixel_spacing_source, pixel_spacing_note, window_center, window_width,
             voi_lut_function, has_voi_lut_sequence, transfer_syntax_uid, format, rel_path, sha256, file_size, imported_at)
           VALUES (@sopInstanceUid, @sopClassUid, @seriesPk, @instanceNumber, @laterality, @view,
             @presentationIntent, @forDisplay, @photometric, @bitsAllocated, @bitsStored, @pixelRepresentation,
             @rows, @columns, @spacingRow, @spacingCol, @pixelSpacingSource, @pixelSpacingNote, @windowCenter, @windowWidth,
             @voiLutFunction, @hasVoiLutSequence, @transferSyntaxUid, @format, @path, @sha256, @fileSize, @importedAt)`,
        )
        .run({
          ...image,
          pixelSpacingNote: image.pixelSpacingNote ?? null,
          seriesPk,
          forDisplay: image.forDisplay ? 1 : 0,
          hasVoiLutSequence: image.hasVoiLutSequence ? 1 : 0,
          spacingRow: image.pixelSpacingMm?.[0] ?? null,
          spacingCol: image.pixelSpacingMm?.[1] ?? null,
          importedAt,
        }).lastInsertRowid,
    );
  }

  /**
   * Points an image at a new copy of its file, with the pixel attributes read from that copy: a
   * good re-import replacing a broken earlier copy of the same instance.
   */
  replaceImageFile(imageId: number, image: NewImage): void {
    this.db
      .prepare(
        `UPDATE images SET photometric = @photometric, bits_allocated = @bitsAllocated, bits_stored = @bitsStored,
           pixel_representation = @pixelRepresentation, rows = @rows, columns = @columns,
           pixel_spacing_row = @spacingRow, pixel_spacing_col = @spacingCol, pixel_spacing_source = @pixelSpacingSource,
           window_center = @windowCenter, window_width = @windowWidth, voi_lut_function = @voiLutFunction,
           has_voi_lut_sequence = @hasVoiLutSequence, transfer_syntax_uid = @transferSyntaxUid, format = @format,
           rel_path = @path, sha256 = @sha256, file_size = @fileSize
         WHERE id = @imageId`,
      )
      .run({
        ...image,
        imageId,
        hasVoiLutSequence: image.hasVoiLutSequence ? 1 : 0,
        spacingRow: image.pixelSpacingMm?.[0] ?? null,
        spacingCol: image.pixelSpacingMm?.[1] ?? null,
      });
  }

  insertGroundTruth(imagePk: number, finding: NewGroundTruthFinding): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO ground_truth_findings (image_pk, abnormality_class, severity, center_column, center_row, radius,
             box_left, box_top, box_width, box_height, outline_path, details_json, source)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          imagePk,
          finding.abnormalityClass,
          finding.severity,
          finding.circle?.centerColumn ?? null,
          finding.circle?.centerRow ?? null,
          finding.circle?.radius ?? null,
          finding.box?.left ?? null,
          finding.box?.top ?? null,
          finding.box?.width ?? null,
          finding.box?.height ?? null,
          finding.outlinePath ?? null,
          finding.details ? JSON.stringify(finding.details) : null,
          finding.source,
        ).lastInsertRowid,
    );
  }

  /** The worklist rows, newest import first; `studyPks` narrows it to some studies. */
  listStudySummaries(studyPks?: readonly number[]): StudySummary[] {
    const filter = studyPks ? `WHERE studies.id IN (${studyPks.map(() => '?').join(',') || 'NULL'})` : '';
    const rows = this.db
      .prepare(
        `SELECT summary.*,
                (SELECT max(p.image_score) FROM predictions p
                   JOIN images i ON i.id = p.image_pk JOIN series s ON s.id = i.series_pk
                  WHERE s.study_pk = summary.id AND p.model_id = summary.ai_model_id) AS ai_score,
                (SELECT json_extract(model_versions.card_json, '$.thresholds.image') FROM model_versions
                  WHERE model_versions.id = summary.ai_model_id) AS ai_operating_point
           FROM (SELECT studies.id, studies.study_uid, patients.patient_id, patients.name, studies.study_date,
                studies.description, studies.source, studies.imported_at,
                (SELECT count(*) FROM images JOIN series ON series.id = images.series_pk WHERE series.study_pk = studies.id) AS image_count,
                (SELECT group_concat(DISTINCT coalesce(images.laterality, '') || coalesce(images.view, '?'))
                   FROM images JOIN series ON series.id = images.series_pk
                  WHERE series.study_pk = studies.id AND images.for_display = 1) AS views,
                (SELECT group_concat(DISTINCT series.modality) FROM series WHERE series.study_pk = studies.id) AS modalities,
                studies.accession_number,
                (SELECT reports.status FROM reports WHERE reports.study_pk = studies.id
                  ORDER BY reports.version DESC LIMIT 1) AS review,
                -- The model whose analysis the worklist shows: the one that analysed the study last.
                (SELECT p2.model_id FROM predictions p2
                   JOIN images i2 ON i2.id = p2.image_pk JOIN series s2 ON s2.id = i2.series_pk
                  WHERE s2.study_pk = studies.id ORDER BY p2.created_at DESC, p2.id DESC LIMIT 1) AS ai_model_id
           FROM studies JOIN patients ON patients.id = studies.patient_pk ${filter}) AS summary
          ORDER BY summary.imported_at DESC, summary.id DESC`,
      )
      .all(...(studyPks ?? [])) as {
      id: number;
      study_uid: string;
      patient_id: string;
      name: string | null;
      study_date: string | null;
      description: string | null;
      source: StudySummary['source'];
      imported_at: string;
      image_count: number;
      views: string | null;
      modalities: string | null;
      accession_number: string | null;
      review: StudySummary['review'] | null;
      ai_score: number | null;
      ai_model_id: string | null;
      ai_operating_point: number | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      studyUid: row.study_uid,
      patientId: row.patient_id,
      patientName: row.name,
      studyDate: row.study_date,
      description: row.description,
      source: row.source,
      views: row.views ? row.views.split(',').sort() : [],
      imageCount: row.image_count,
      importedAt: row.imported_at,
      modalities: row.modalities ? row.modalities.split(',').sort() : [],
      accessionNumber: row.accession_number || null,
      review: row.review ?? 'unread',
      aiScore: row.ai_score,
      aiOperatingPoint: row.ai_operating_point,
    }));
  }

  getStudyDetail(studyPk: number): StudyDetail | null {
    const row = this.db
      .prepare(
        `SELECT studies.*, patients.id AS p_id, patients.patient_id, patients.name, patients.birth_date, patients.sex
           FROM studies JOIN patients ON patients.id = studies.patient_pk WHERE studies.id = ?`,
      )
      .get(studyPk) as
      | {
          id: number;
          study_uid: string;
          study_date: string | null;
          accession_number: string | null;
          description: string | null;
          source: Study['source'];
          imported_at: string;
          p_id: number;
          patient_id: string;
          name: string | null;
          birth_date: string | null;
          sex: string | null;
        }
      | undefined;
    if (!row) return null;
    const series = (
      this.db.prepare('SELECT * FROM series WHERE study_pk = ? ORDER BY series_number, id').all(studyPk) as {
        id: number;
        series_uid: string;
        modality: string;
        series_number: number | null;
        description: string | null;
        body_part: string | null;
      }[]
    ).map((s) => ({
      id: s.id,
      seriesUid: s.series_uid,
      studyId: studyPk,
      modality: s.modality,
      seriesNumber: s.series_number,
      description: s.description,
      bodyPart: s.body_part,
    }));
    const images = (
      this.db
        .prepare(`${IMAGE_SELECT} WHERE series.study_pk = ? ORDER BY images.instance_number, images.id`)
        .all(studyPk) as ImageRow[]
    ).map(toImage);
    const groundTruth = (
      this.db
        .prepare(
          `SELECT g.* FROM ground_truth_findings g JOIN images ON images.id = g.image_pk
             JOIN series ON series.id = images.series_pk WHERE series.study_pk = ? ORDER BY g.id`,
        )
        .all(studyPk) as GroundTruthRow[]
    ).map(toGroundTruthFinding);
    return {
      study: {
        id: row.id,
        studyUid: row.study_uid,
        patient: {
          id: row.p_id,
          patientId: row.patient_id,
          name: row.name,
          birthDate: row.birth_date,
          sex: row.sex,
        },
        studyDate: row.study_date,
        accessionNumber: row.accession_number,
        description: row.description,
        source: row.source,
        importedAt: row.imported_at,
      },
      series,
      images,
      groundTruth,
    };
  }
}

interface GroundTruthRow {
  id: number;
  image_pk: number;
  abnormality_class: string;
  severity: GroundTruthFinding['severity'];
  center_column: number | null;
  center_row: number | null;
  radius: number | null;
  box_left: number | null;
  box_top: number | null;
  box_width: number | null;
  box_height: number | null;
  outline_path: string | null;
  details_json: string | null;
  source: string;
}

function toGroundTruthFinding(g: GroundTruthRow): GroundTruthFinding {
  return {
    id: g.id,
    imageId: g.image_pk,
    abnormalityClass: g.abnormality_class,
    severity: g.severity,
    circle:
      g.center_column === null || g.center_row === null || g.radius === null
        ? null
        : { centerColumn: g.center_column, centerRow: g.center_row, radius: g.radius },
    ...(g.box_left !== null && g.box_top !== null && g.box_width !== null && g.box_height !== null
      ? { box: { left: g.box_left, top: g.box_top, width: g.box_width, height: g.box_height } }
      : {}),
    ...(g.outline_path ? { outlinePath: g.outline_path } : {}),
    ...(g.details_json ? { details: JSON.parse(g.details_json) as GroundTruthDetails } : {}),
    source: g.source,
  };
}

function toImage(row: ImageRow): Image {
  return {
    id: row.id,
    sopInstanceUid: row.sop_instance_uid,
    sopClassUid: row.sop_class_uid,
    seriesId: row.series_pk,
    studyId: row.study_pk,
    instanceNumber: row.instance_number,
    laterality: row.laterality,
    view: row.view,
    presentationIntent: row.presentation_intent,
    forDisplay: row.for_display === 1,
    photometric: row.photometric,
    bitsAllocated: row.bits_allocated,
    bitsStored: row.bits_stored,
    pixelRepresentation: row.pixel_representation,
    rows: row.rows,
    columns: row.columns,
    pixelSpacingMm:
      row.pixel_spacing_row === null || row.pixel_spacing_col === null
        ? null
        : [row.pixel_spacing_row, row.pixel_spacing_col],
    pixelSpacingSource: row.pixel_spacing_source,
    ...(row.pixel_spacing_note ? { pixelSpacingNote: row.pixel_spacing_note } : {}),
    windowCenter: row.window_center,
    windowWidth: row.window_width,
    voiLutFunction: row.voi_lut_function,
    hasVoiLutSequence: row.has_voi_lut_sequence === 1,
    transferSyntaxUid: row.transfer_syntax_uid,
    format: row.format,
    path: row.rel_path,
    sha256: row.sha256,
    fileSize: row.file_size,
  };
}
