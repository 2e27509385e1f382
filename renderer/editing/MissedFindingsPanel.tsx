import type { ReactNode } from 'react';
import { type AddedFinding, FINDING_TYPES, type FindingType } from '../../main/api/annotations.js';
import { extentSizeMm } from '../../main/api/findingSize.js';
import { keyOfCommand } from './tools/toolbar.js';

export interface MissedFindingsPanelProps {
  added: readonly AddedFinding[];
  type: FindingType;
  /** The image's pixel spacing, for sizes; null when unknown. */
  pixelSpacingMm: readonly [number, number] | null;
  /** Whether the mask holds the finding's centre (a clicked finding adds no label until painted). */
  inMask(added: AddedFinding): boolean;
  onType(type: FindingType): void;
  onPlace(): void;
  onRemove(index: number): void;
}

/** The editor's missed findings: the type, Add finding (the tool), and the list with each one's size. */
export function MissedFindingsPanel({
  added,
  type,
  pixelSpacingMm,
  inMask,
  onType,
  onPlace,
  onRemove,
}: MissedFindingsPanelProps): ReactNode {
  const sizeOf = (finding: AddedFinding): number | null =>
    finding.extent ? extentSizeMm(finding.extent, pixelSpacingMm) : null;
  return (
    <section>
      <h3>Missed findings</h3>
      <label className="field">
        Type
        <select
          aria-label="Missed finding type"
          value={type}
          onChange={(event) => onType(event.target.value as FindingType)}
        >
          {FINDING_TYPES.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      </label>
      <button
        type="button"
        onClick={onPlace}
        title={`Then drag an outline around it (its size and its label), or click it; Enter for the centre (${keyOfCommand('toolAddFinding')})`}
      >
        Add finding…
      </button>
      <ul data-testid="added-findings">
        {added.map((finding, i) => (
          <li
            key={i}
            data-testid="added-finding"
            data-type={finding.type}
            data-size-mm={sizeOf(finding) ?? ''}
            data-in-mask={inMask(finding) ? 'true' : 'false'}
          >
            {finding.type} at ({Math.round(finding.centroidColumn)}, {Math.round(finding.centroidRow)})
            {` · ${describeSize(sizeOf(finding), finding.extent !== undefined)}`}
            {!inMask(finding) && (
              <span className="warning">
                {' '}
                · not in the mask: outline it or paint it, or it is not learned
              </span>
            )}
            <button type="button" onClick={() => onRemove(i)} aria-label={`Remove ${finding.type}`}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** An added finding's size as the list shows it: from the reader's outline, else unknown. */
function describeSize(sizeMm: number | null, outlined: boolean): string {
  if (sizeMm !== null) return `${sizeMm.toFixed(1)} mm`;
  return outlined ? 'size unknown (no pixel spacing)' : 'size: outline it';
}
