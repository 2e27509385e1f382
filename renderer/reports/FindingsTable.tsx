import type { ReactNode } from 'react';
import type { ReportFinding } from '../../main/api/reports.js';

export interface FindingsTableProps {
  findings: readonly ReportFinding[];
  readOnly: boolean;
  onChange(findings: ReportFinding[]): void;
}

/** Where a finding lies, as a reader writes it: "10 o'clock, upper outer, middle third". */
function location(finding: ReportFinding): string {
  const parts = [
    finding.clock !== null ? `${finding.clock} o'clock` : null,
    finding.region,
    finding.depth ? `${finding.depth} third` : null,
  ];
  return parts.filter((part) => part !== null).join(', ') || '–';
}

/** The report's findings, pre-filled by the back end; a draft's notes can be written and rows removed. */
export function FindingsTable({ findings, readOnly, onChange }: FindingsTableProps): ReactNode {
  if (findings.length === 0)
    return (
      <p className="report-empty" data-testid="report-no-findings">
        No accepted or added findings (accept AI findings or add your own in the editor).
      </p>
    );
  const change = (index: number, next: ReportFinding | null): void =>
    onChange(findings.flatMap((finding, i) => (i !== index ? [finding] : next ? [next] : [])));
  return (
    <table className="report-findings" data-testid="report-findings">
      <thead>
        <tr>
          <th>Side</th>
          <th>View</th>
          <th>Type</th>
          <th>Location</th>
          <th>Size</th>
          <th>AI score</th>
          <th>Source</th>
          <th>Note</th>
          {!readOnly && <th aria-label="Remove" />}
        </tr>
      </thead>
      <tbody>
        {findings.map((finding, index) => (
          <tr
            key={`${finding.imageId}-${finding.source}-${finding.findingIndex ?? ''}-${finding.centroidRow}-${finding.centroidColumn}`}
            data-testid="report-finding"
            data-source={finding.source}
          >
            <td>{finding.laterality ?? '?'}</td>
            <td>{finding.view ?? '?'}</td>
            <td>{finding.type ?? '–'}</td>
            <td>{location(finding)}</td>
            <td>{finding.sizeMm !== null ? `${finding.sizeMm.toFixed(1)} mm` : '–'}</td>
            <td>{finding.aiScore !== null ? finding.aiScore.toFixed(2) : '–'}</td>
            <td>{finding.source === 'ai' ? 'AI, accepted' : 'reader'}</td>
            <td>
              <input
                type="text"
                aria-label={`Note on finding ${index + 1}`}
                value={finding.note}
                maxLength={2000}
                readOnly={readOnly}
                onChange={(event) => change(index, { ...finding, note: event.target.value })}
              />
            </td>
            {!readOnly && (
              <td>
                <button
                  type="button"
                  title="Leave this finding out of the report"
                  onClick={() => change(index, null)}
                >
                  ✕
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
