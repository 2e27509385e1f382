import type { Report, ReportEdit } from '../../main/api/reports.js';

/** Where a draft's edits stand: all saved, waiting for a quiet moment, being sent, or refused. */
export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

export interface SaveStatus {
  state: SaveState;
  /** The back end's copy after the last successful save. */
  report: Report | null;
  /** Why the last save failed (its edits are kept and sent again with the next one). */
  error: string | null;
}

/**
 * Saves a report draft's edits after a quiet time, one request at a time, merging the edits made
 * meanwhile. `flush` sends what is pending now and resolves once it is saved (before finalising
 * or exporting); `dispose` flushes too, so closing the panel loses nothing.
 *
 * @example
 * const saver = new DraftAutosave((edit) => client.updateReport({ reportId, ...edit }), 600, setStatus);
 * saver.edit({ impression: 'No suspicious finding.' });
 * await saver.flush();
 */
export class DraftAutosave {
  private pending: ReportEdit = {};
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private last: SaveStatus = { state: 'saved', report: null, error: null };

  constructor(
    private readonly save: (edit: ReportEdit) => Promise<Report>,
    private readonly delayMs: number,
    private readonly onStatus: (status: SaveStatus) => void,
  ) {}

  get status(): SaveStatus {
    return this.last;
  }

  /** Records an edit; it is saved once nothing has changed for the quiet time. */
  edit(change: ReportEdit): void {
    this.pending = { ...this.pending, ...change };
    this.report({ state: 'pending', error: null });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves everything pending; rejects with the back end's message when that fails. */
  async flush(): Promise<Report | null> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight) await this.inFlight;
    if (Object.keys(this.pending).length === 0) {
      if (this.last.error) throw new Error(this.last.error);
      return this.last.report;
    }
    const edit = this.pending;
    this.pending = {};
    this.report({ state: 'saving', error: null });
    const outcome = this.save(edit).then(
      (report) => ({ report, error: null }),
      (error: unknown) => ({
        report: null,
        error: error instanceof Error ? error : new Error(String(error)),
      }),
    );
    this.inFlight = outcome.then(() => undefined);
    const { report, error } = await outcome;
    this.inFlight = null;
    if (error) {
      this.pending = { ...edit, ...this.pending };
      this.report({ state: 'error', error: error.message });
      throw error;
    }
    this.report({ report, state: Object.keys(this.pending).length ? 'pending' : 'saved' });
    return report;
  }

  /** Stops the timer and sends what is pending (its failure is reported, not thrown). */
  dispose(): void {
    if (Object.keys(this.pending).length) this.flush().catch(() => undefined);
    else if (this.timer) clearTimeout(this.timer);
  }

  private report(change: Partial<SaveStatus>): void {
    this.last = { ...this.last, ...change };
    this.onStatus(this.last);
  }
}
