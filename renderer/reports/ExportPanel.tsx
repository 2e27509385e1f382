import { Fragment, type ReactNode, useState } from 'react';
import type { ExportKind, ExportResult } from '../../main/api/reports.js';
import type { ApiClient } from '../api/ApiClient.js';
import { EXPORT_BUTTONS, REPORT_DEFAULTS } from './constants.js';
import { messageOf } from '../common/messageOf.js';

export interface ExportPanelProps {
  client: ApiClient;
  studyId: number;
  /** Saves the report's pending edits first, so the export holds what the form shows. */
  beforeExport?(): Promise<void>;
}

type Outcome = { kind: ExportKind; result: ExportResult } | { kind: ExportKind; error: string };

const labelOf = (kind: ExportKind): string => EXPORT_BUTTONS.find((b) => b.kind === kind)?.label ?? kind;

/**
 * The study's exports, one button each. The back end writes them into the workspace
 * (`exports/study-<id>/`, a new name every time) and the panel lists the files it wrote; the
 * browser never names a path.
 */
export function ExportPanel({ client, studyId, beforeExport }: ExportPanelProps): ReactNode {
  const [running, setRunning] = useState<ExportKind | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);

  const run = async (kind: ExportKind): Promise<void> => {
    setRunning(kind);
    let outcome: Outcome;
    try {
      await beforeExport?.();
      outcome = { kind, result: await client.exportStudy({ studyId, kind }) };
    } catch (error) {
      outcome = { kind, error: messageOf(error) };
    }
    setOutcomes((list) => [outcome, ...list.filter((o) => o.kind !== kind)]);
    setRunning(null);
  };

  return (
    <section className="report-exports" aria-label="Exports" data-testid="report-exports">
      <h3>Export</h3>
      <div className="report-export-buttons" role="group" aria-label="Export">
        {EXPORT_BUTTONS.map((button) => (
          <button
            key={button.kind}
            type="button"
            title={button.title}
            data-testid={`export-${button.kind}`}
            disabled={running !== null}
            aria-busy={running === button.kind}
            onClick={() => void run(button.kind)}
          >
            {running === button.kind ? `${button.label}…` : button.label}
          </button>
        ))}
      </div>
      <ul className="report-export-results">
        {outcomes.map((outcome) =>
          'error' in outcome ? (
            <li
              key={outcome.kind}
              className="report-error"
              role="alert"
              data-testid="export-result"
              data-kind={outcome.kind}
              data-state="error"
            >
              {labelOf(outcome.kind)} failed: {outcome.error}
            </li>
          ) : (
            <li key={outcome.kind} data-testid="export-result" data-kind={outcome.kind} data-state="done">
              <span>
                {labelOf(outcome.kind)}: {outcome.result.files.length} file
                {outcome.result.files.length === 1 ? '' : 's'} written
              </span>
              <ul>
                {outcome.result.files.slice(0, REPORT_DEFAULTS.filesShown).map((file) => (
                  <li key={file} data-testid="export-file" className="report-path">
                    {breakableAtSeparators(file)}
                  </li>
                ))}
                {outcome.result.files.length > REPORT_DEFAULTS.filesShown && (
                  <li>
                    and {outcome.result.files.length - REPORT_DEFAULTS.filesShown} more in the same folder
                  </li>
                )}
              </ul>
              {outcome.result.notes.map((note) => (
                <div key={note} className="report-note" data-testid="export-note">
                  {note}
                </div>
              ))}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

/**
 * A path that wraps between its parts, each ending in its separator (`/` or `\\`): a part is kept
 * whole (a file name is not split at its hyphens) unless it alone is wider than the line.
 */
function breakableAtSeparators(path: string): ReactNode {
  return path.split(/(?<=[/\\])/).map((part, index) => (
    <Fragment key={index}>
      <span className="path-part">{part}</span>
      <wbr />
    </Fragment>
  ));
}
