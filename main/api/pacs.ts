/**
 * PACS connectivity: remote nodes, DICOMweb query/retrieve, store-back pushes and the DICOM
 * listener. Shared by the back end, the transports and the renderer (no Node or DOM imports).
 * A node's secret (password or token) goes into the back end and never comes out: the renderer
 * sees only whether one is set.
 */
import type { ImportError } from './importing.js';
import type { StudySummary } from './domain.js';

export const PACS_AUTH_KINDS = ['none', 'basic', 'bearer'] as const;
export type PacsAuthKind = (typeof PACS_AUTH_KINDS)[number];

/** What the results of a study can be sent back as. */
export const PACS_PUSH_KINDS = ['seg', 'sr', 'pdf'] as const;
export type PacsPushKind = (typeof PACS_PUSH_KINDS)[number];

/** A remote node as the renderer and the CLI see it: no secret. */
export interface PacsNode {
  id: number;
  name: string;
  /** DICOMweb base URL, e.g. https://pacs.example/dicom-web */
  url: string;
  auth: PacsAuthKind;
  /** For basic auth. */
  username: string | null;
  /** Whether a password or token is stored (the value itself never leaves the back end). */
  hasSecret: boolean;
  /** DIMSE: the node's AE title, host and port (for C-ECHO in "test connection"). */
  aeTitle: string | null;
  host: string | null;
  port: number | null;
  createdAt: string;
}

/** Adding or changing a node. `secret` omitted keeps the stored one; null clears it. */
export interface PacsNodeInput {
  name: string;
  url: string;
  auth: PacsAuthKind;
  username?: string | null | undefined;
  secret?: string | null | undefined;
  aeTitle?: string | null | undefined;
  host?: string | null | undefined;
  port?: number | null | undefined;
}

export interface PacsConnectionTest {
  /** DICOMweb (QIDO-RS) answered. */
  dicomweb: { ok: boolean; message: string; milliseconds: number };
  /** C-ECHO to the node's AE title; null when no DIMSE address is configured. */
  echo: { ok: boolean; message: string; milliseconds: number } | null;
}

export interface PacsQuery {
  node: string;
  patientName?: string | undefined;
  patientId?: string | undefined;
  /** Study date range, YYYYMMDD (either end may be open). */
  from?: string | undefined;
  to?: string | undefined;
  accessionNumber?: string | undefined;
  /** ModalitiesInStudy; by default breast imaging (MG, and CR/DX/RG studies with a breast series). '' searches every modality. */
  modality?: string | undefined;
  limit?: number | undefined;
}

/** One study found on a PACS. */
export interface PacsStudy {
  studyInstanceUid: string;
  patientId: string | null;
  patientName: string | null;
  studyDate: string | null;
  accessionNumber: string | null;
  description: string | null;
  modalities: string[];
  numberOfInstances: number | null;
  /** The workspace's study with the same UID, when it was already imported. */
  localStudyId: number | null;
}

export interface PacsRetrieveProgress {
  node: string;
  studyInstanceUid: string;
  /** Instances finished (fetched and imported, skipped as present, or failed) of `total`. */
  done: number;
  total: number;
  /** Bytes fetched so far. */
  bytes: number;
  sopInstanceUid: string;
  outcome: 'imported' | 'skipped' | 'error';
}

export interface PacsRetrieveResult {
  imported: number;
  /** Instances already in the workspace: not fetched again. */
  skipped: number;
  /** One per instance that failed (fetch or import); the others went on. */
  errors: ImportError[];
  /** Objects the workstation does not import (e.g. SR, PDF), left on the PACS. */
  notes: string[];
  cancelled: boolean;
  bytes: number;
  studies: StudySummary[];
}

export type PacsPushStatus = 'sending' | 'sent' | 'failed';

/** One store-back (STOW-RS) of a study's results, kept in the study's history. */
export interface PacsPush {
  id: number;
  studyId: number;
  node: string;
  kind: PacsPushKind;
  status: PacsPushStatus;
  /** SOP Instance UIDs sent. */
  instances: string[];
  error: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** The C-STORE SCP: off until enabled. */
export interface DicomListenerSettings {
  enabled: boolean;
  port: number;
  aeTitle: string;
  /** Calling AE titles allowed to store; every other association is rejected. */
  allowedCallingAeTitles: string[];
}

export interface DicomListenerStatus extends DicomListenerSettings {
  listening: boolean;
  received: number;
  rejectedAssociations: number;
}

/** One object received by the listener, after its import. */
export interface DicomListenerReceived {
  callingAeTitle: string;
  sopInstanceUid: string;
  outcome: 'imported' | 'skipped' | 'error';
  reason: string | null;
  studyId: number | null;
}
