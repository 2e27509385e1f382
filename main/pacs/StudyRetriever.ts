import type { ImportError } from '../api/importing.js';
import type { PacsRetrieveProgress, PacsRetrieveResult } from '../api/pacs.js';
import type { StudyRepository } from '../db/StudyRepository.js';
import { NOT_IMPORTED_SOP_CLASSES } from './constants.js';
import { PacsError, type DicomwebConnection } from './DicomwebConnection.js';
import { INSTANCE_INCLUDE_FIELDS, toQidoInstance, type QidoInstance } from './qidoStudy.js';
import type { ReceivedInstanceImporter } from './ReceivedInstanceImporter.js';

/** Instances fetched ahead of the one being imported. */
const RETRIEVE_AHEAD = 1;

export interface RetrieveOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: PacsRetrieveProgress) => void) | undefined;
}

/**
 * WADO-RS retrieve of one study into the workspace, one instance at a time:
 * - the instance list comes from QIDO-RS, and instances whose SOP Instance UID is already in the
 *   workspace are not fetched (so a second retrieve, or a resume after a failure, fetches only
 *   what is missing);
 * - each fetched instance goes through the import path; a failed fetch or a refused instance
 *   (integrity, a non-breast series) is an error entry and the rest goes on;
 * - cancelling stops between instances and inside the running request; every instance imported
 *   so far is complete (the importer records an instance in one transaction).
 */
export class StudyRetriever {
  constructor(
    private readonly connection: DicomwebConnection,
    private readonly nodeName: string,
    private readonly studies: StudyRepository,
    private readonly received: ReceivedInstanceImporter,
  ) {}

  async retrieve(studyInstanceUid: string, options: RetrieveOptions = {}): Promise<PacsRetrieveResult> {
    const { signal } = options;
    const listed = await this.connection.searchForInstances(
      studyInstanceUid,
      { includefield: INSTANCE_INCLUDE_FIELDS },
      { signal },
    );
    const instances = listed
      .map(toQidoInstance)
      .filter((i): i is QidoInstance => i !== null)
      .sort(
        (a, b) =>
          a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) ||
          (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0),
      );
    if (instances.length === 0)
      throw new Error(`PACS "${this.nodeName}" has no instances of study ${studyInstanceUid}`);

    const notes: string[] = [];
    const wanted = instances.filter((instance) => {
      const kind = instance.sopClassUid ? NOT_IMPORTED_SOP_CLASSES[instance.sopClassUid] : undefined;
      if (kind) notes.push(`${kind} ${instance.sopInstanceUid} is not an image; left on the PACS`);
      return !kind;
    });
    const errors: ImportError[] = [];
    const touched = new Set<number>();
    let imported = 0;
    let skipped = 0;
    let bytes = 0;
    let done = 0;
    let cancelled = false;
    const report = (instance: QidoInstance, outcome: PacsRetrieveProgress['outcome']): void => {
      done++;
      options.onProgress?.({
        node: this.nodeName,
        studyInstanceUid,
        done,
        total: wanted.length,
        bytes,
        sopInstanceUid: instance.sopInstanceUid,
        outcome,
      });
    };

    // Fetches run ahead of the import (RETRIEVE_AHEAD instances in flight), so the PACS sends the
    // next instance while this one is imported; all stop when the retrieve ends.
    const inFlight = new AbortController();
    const stopInFlight = (): void => inFlight.abort();
    signal?.addEventListener('abort', stopInFlight, { once: true });
    const fetches = new Map<QidoInstance, Promise<Uint8Array>>();
    const fetchOf = (instance: QidoInstance): Promise<Uint8Array> => {
      let fetched = fetches.get(instance);
      if (!fetched) {
        fetched = this.connection.retrieveInstance(
          { study: studyInstanceUid, series: instance.seriesInstanceUid, instance: instance.sopInstanceUid },
          { signal: inFlight.signal },
        );
        // Awaited in turn below; a fetch left behind by an early stop must not be an unhandled rejection.
        fetched.catch(() => undefined);
        fetches.set(instance, fetched);
      }
      return fetched;
    };
    const isPresent = (instance: QidoInstance): boolean =>
      this.studies.findImageBySopInstanceUid(instance.sopInstanceUid) !== null;

    for (const [index, instance] of wanted.entries()) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      const present = this.studies.findImageBySopInstanceUid(instance.sopInstanceUid);
      if (present) {
        skipped++;
        touched.add(present.studyId);
        report(instance, 'skipped');
        continue;
      }
      const where = `pacs:${this.nodeName}/${studyInstanceUid}/${instance.seriesInstanceUid}/${instance.sopInstanceUid}`;
      for (const next of wanted.slice(index, index + 1 + RETRIEVE_AHEAD)) if (!isPresent(next)) fetchOf(next);
      try {
        const data = await fetchOf(instance);
        fetches.delete(instance);
        bytes += data.byteLength;
        const result = await this.received.importBytes(data, instance.sopInstanceUid);
        touched.add(result.studyPk);
        if (result.outcome === 'imported') imported++;
        else skipped++;
        report(instance, result.outcome);
      } catch (error) {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        errors.push({ file: where, reason: error instanceof Error ? error.message : String(error) });
        report(instance, 'error');
        // No answer at all: the next instances would each wait for the same timeout.
        if (error instanceof PacsError && error.status === 0) {
          notes.push(
            `stopped after ${done} of ${wanted.length} instances: the PACS stopped answering; retrieve again to resume (what was imported is kept)`,
          );
          break;
        }
      }
    }
    signal?.removeEventListener('abort', stopInFlight);
    inFlight.abort();
    return {
      imported,
      skipped,
      errors,
      notes,
      cancelled,
      bytes,
      studies: this.studies.listStudySummaries([...touched]),
    };
  }
}
