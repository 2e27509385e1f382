import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ImportFormat, ImportRequest, ImportResult } from '../api/importing.js';
import type { ImportContext } from '../studies/StudyImporter.js';
import { writeAllAsync, writeAtomicAsync } from '../common/atomicWrite.js';
import { MAX_FILE_BYTES, megabytes } from '../imaging/limits.js';
import { STALE_TEMP_AGE_MS } from '../workspace/sweepStaleTempFiles.js';

/** Uploads open at once: one per import a tab runs, a few tabs at most. */
export const MAX_OPEN_UPLOADS = 4;

/** Files in one upload: more than a very large study folder, far below what would exhaust memory. */
export const MAX_UPLOAD_FILES = 20_000;

/** Folders in an uploaded name (a dropped folder's own sub-folders). */
const MAX_NAME_DEPTH = 32;

/** Bytes of one name segment, the common file-system limit. */
const MAX_SEGMENT_BYTES = 255;

/** A request the uploads refuse, with the HTTP status that says why. */
export class UploadRefusedError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 429,
    message: string,
  ) {
    super(message);
  }
}

interface OpenUpload {
  readonly folder: string;
  /** Names received or being received, lower-cased (case-insensitive file systems). */
  readonly names: Set<string>;
  lastUsed: number;
  /** Files being written right now: the import waits for none. */
  receiving: number;
  importing: boolean;
}

/**
 * Files a browser hands to the workstation for import (drag and drop, file picker). The page
 * cannot give the server a local path, so it uploads each file into a temp folder of its own
 * inside the workspace, then asks for the folder to be imported through the same import path as a
 * typed path (progress events, per-file errors). The folder is removed when the import ends.
 *
 * Each file is written atomically (temp file, fsync, rename), capped at {@link MAX_FILE_BYTES} (the
 * importer's own limit), and named only by a relative path that cannot leave the folder. Upload
 * folders are named like atomic-write temp files, so one a crash left behind is swept when the
 * workspace is next opened; one abandoned while the server runs is removed after
 * STALE_TEMP_AGE_MS without use.
 *
 * @example
 * const uploads = new ImportUploads(workspace.root, backend);
 * const id = uploads.begin();
 * await uploads.receive(id, 'study/IM0001.dcm', requestBody);
 * const result = await uploads.finish(id, 'dicom'); // errors name 'study/…', not the temp path
 */
export class ImportUploads {
  private readonly uploads = new Map<string, OpenUpload>();

  constructor(
    private readonly workspaceRoot: string,
    private readonly api: {
      importFiles(request: ImportRequest, context?: ImportContext): Promise<ImportResult>;
    },
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens an upload; returns its id. */
  begin(): string {
    this.dropAbandoned();
    if (this.uploads.size >= MAX_OPEN_UPLOADS)
      throw new UploadRefusedError(
        429,
        `at most ${MAX_OPEN_UPLOADS} uploads at once: wait for one to finish`,
      );
    const id = randomBytes(6).toString('hex');
    // The process id in the name lets a later start remove it once this process is gone.
    const folder = join(this.workspaceRoot, `.upload.${process.pid}-${id}.tmp`);
    mkdirSync(folder);
    this.uploads.set(id, { folder, names: new Set(), lastUsed: this.now(), receiving: 0, importing: false });
    return id;
  }

  /**
   * Stores one file of an upload under its relative name (`/`-separated, as the browser gives a
   * dropped folder's files). Refused: an unknown upload, a name that is absolute or climbs out, a
   * name already received, a file over the size limit.
   */
  async receive(id: string, name: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const upload = this.get(id);
    if (upload.importing) throw new UploadRefusedError(409, 'this upload is being imported already');
    const segments = safeSegments(name);
    const key = segments.join('/').toLowerCase();
    if (upload.names.has(key)) throw new UploadRefusedError(409, `${name}: uploaded twice`);
    if (upload.names.size >= MAX_UPLOAD_FILES)
      throw new UploadRefusedError(413, `at most ${MAX_UPLOAD_FILES} files in one import`);
    upload.names.add(key);
    upload.lastUsed = this.now();
    const target = join(upload.folder, ...segments);
    upload.receiving++;
    try {
      await writeStreamAtomic(target, body, name);
    } catch (error) {
      upload.names.delete(key);
      throw error;
    } finally {
      upload.receiving--;
      upload.lastUsed = this.now();
    }
  }

  /**
   * Imports what the upload holds, then removes it. For mini-MIAS, a folder dropped whole is the
   * data set's folder; files picked one by one are the data set themselves. Errors name the files
   * as the user uploaded them.
   */
  async finish(id: string, format: ImportFormat): Promise<ImportResult> {
    const upload = this.get(id);
    if (upload.importing) throw new UploadRefusedError(409, 'this upload is being imported already');
    if (upload.receiving) throw new UploadRefusedError(409, 'files of this upload are still arriving');
    if (!upload.names.size) throw new UploadRefusedError(400, 'nothing was uploaded');
    upload.importing = true;
    try {
      // The audit log, like the errors, names each file as the user uploaded it, not its temp copy.
      const result = await this.api.importFiles(
        { paths: importRoots(upload.folder, format), format },
        { sourceName: (file) => uploadedName(upload.folder, file) },
      );
      return {
        ...result,
        errors: result.errors.map((error) => ({ ...error, file: uploadedName(upload.folder, error.file) })),
      };
    } finally {
      this.remove(id);
    }
  }

  /** Drops an upload the page gave up on. */
  discard(id: string): void {
    const upload = this.get(id);
    if (upload.importing) throw new UploadRefusedError(409, 'this upload is being imported');
    // A file still arriving finds its folder gone and fails; its request was abandoned too.
    this.remove(id);
  }

  /** Removes every open upload (the server is closing). */
  close(): void {
    for (const id of [...this.uploads.keys()]) this.remove(id);
  }

  private get(id: string): OpenUpload {
    const upload = this.uploads.get(id);
    if (!upload) throw new UploadRefusedError(404, 'no such upload (finished, discarded or expired)');
    return upload;
  }

  private remove(id: string): void {
    const upload = this.uploads.get(id);
    if (!upload) return;
    this.uploads.delete(id);
    rmSync(upload.folder, { recursive: true, force: true });
  }

  private dropAbandoned(): void {
    for (const [id, upload] of this.uploads) {
      const idle = !upload.importing && !upload.receiving;
      if (idle && this.now() - upload.lastUsed > STALE_TEMP_AGE_MS) this.remove(id);
    }
  }
}

/** The name's segments, or a 400 naming what is wrong with it. */
function safeSegments(name: string): string[] {
  const segments = name.split('/');
  const bad = (reason: string): UploadRefusedError =>
    new UploadRefusedError(400, `${JSON.stringify(name)}: ${reason}`);
  if (!name || name.startsWith('/')) throw bad('a relative file name is required');
  if (segments.length > MAX_NAME_DEPTH) throw bad(`more than ${MAX_NAME_DEPTH} folders deep`);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw bad('empty, "." or ".." in the path');
    if (/[\\\0:]/.test(segment)) throw bad('a name may not hold "\\", ":" or NUL');
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw bad('a name part is too long');
  }
  return segments;
}

/**
 * Streams a body to `target` atomically ({@link writeAtomicAsync}). Over {@link MAX_FILE_BYTES}
 * it stops reading, removes the temp file and refuses with 413.
 */
async function writeStreamAtomic(
  target: string,
  body: AsyncIterable<Uint8Array>,
  name: string,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await writeAtomicAsync(target, async (handle) => {
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > MAX_FILE_BYTES)
        throw new UploadRefusedError(
          413,
          `${name}: larger than any mammogram (limit ${megabytes(MAX_FILE_BYTES)})`,
        );
      await writeAllAsync(
        handle,
        chunk,
        (offset) => new Error(`${name}: the disk took only ${offset} bytes`),
      );
    }
  });
}

/** What to hand the importer: the whole folder, or for a labelled data set each folder dropped whole. */
function importRoots(folder: string, format: ImportFormat): string[] {
  if (format === 'dicom') return [folder];
  const entries = readdirSync(folder, { withFileTypes: true });
  return entries.every((entry) => entry.isDirectory())
    ? entries.map((entry) => join(folder, entry.name))
    : [folder];
}

/** The user's name for a path inside the upload folder (`/`-separated); other paths unchanged. */
function uploadedName(folder: string, file: string): string {
  const rel = relative(folder, file);
  if (rel === '') return 'the uploaded files';
  if (rel.startsWith('..')) return file;
  return rel.split(sep).join('/');
}
