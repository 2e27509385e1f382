import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StudyImporter } from '../studies/StudyImporter.js';
import type { Workspace } from '../workspace/Workspace.js';

/**
 * Puts DICOM bytes that came over the network (WADO-RS, C-STORE) through the same import path
 * as a user's files, integrity checks included: the bytes are written to a private file under
 * `<workspace>/incoming/` (a new name per instance, created exclusively), imported, then removed.
 */
export class ReceivedInstanceImporter {
  private readonly folder: string;

  constructor(
    workspace: Workspace,
    private readonly importer: StudyImporter,
  ) {
    this.folder = join(workspace.root, 'incoming');
  }

  /** `label` names the instance in the file name (e.g. its SOP Instance UID). */
  async importBytes(
    bytes: Uint8Array,
    label: string,
  ): Promise<{ outcome: 'imported' | 'skipped'; studyPk: number }> {
    mkdirSync(this.folder, { recursive: true });
    const safeLabel = label.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 80);
    const file = join(this.folder, `${safeLabel}.${randomBytes(6).toString('hex')}.dcm`);
    writeFileSync(file, bytes, { flag: 'wx' });
    try {
      return await this.importer.importFile(file);
    } finally {
      rmSync(file, { force: true });
    }
  }
}
