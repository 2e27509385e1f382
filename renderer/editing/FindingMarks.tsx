import type { ReactNode } from 'react';
import type { AnnotationFindings } from '../../main/api/annotations.js';
import type { Finding } from '../../main/api/predictions.js';
import type { LabelmapSession } from './LabelmapSession.js';

/** Boxes of the AI findings (coloured by decision), and crosses and outline extents of added ones, over the viewport. */
export function FindingMarks(props: {
  session: LabelmapSession;
  findings: readonly Finding[];
  decisions: AnnotationFindings;
  /** Re-projects on camera changes. */
  cameraVersion: number;
}): ReactNode {
  const { session, findings, decisions } = props;
  const decisionOf = (index: number) => decisions.decisions.find((d) => d.findingIndex === index)?.decision;
  return (
    <svg className="finding-marks" width="100%" height="100%" aria-hidden="true">
      {findings.map((finding) => {
        const a = session.pixelToCanvas(finding.bounds.left, finding.bounds.top);
        const b = session.pixelToCanvas(finding.bounds.right + 1, finding.bounds.bottom + 1);
        if (!a || !b) return null;
        const decision = decisionOf(finding.index);
        return (
          <g key={finding.index} className={`finding-box ${decision ?? 'open'}`}>
            <rect
              x={Math.min(a[0], b[0])}
              y={Math.min(a[1], b[1])}
              width={Math.abs(b[0] - a[0])}
              height={Math.abs(b[1] - a[1])}
            />
            <text x={Math.min(a[0], b[0])} y={Math.min(a[1], b[1]) - 3}>
              {finding.index}
            </text>
          </g>
        );
      })}
      {decisions.added.map((added, i) => {
        const p = session.pixelToCanvas(added.centroidColumn, added.centroidRow);
        if (!p) return null;
        const { extent } = added;
        const a = extent ? session.pixelToCanvas(extent.left, extent.top) : null;
        const b = extent ? session.pixelToCanvas(extent.right, extent.bottom) : null;
        return (
          <g key={i} className="finding-added">
            {a && b && (
              <rect
                x={Math.min(a[0], b[0])}
                y={Math.min(a[1], b[1])}
                width={Math.abs(b[0] - a[0])}
                height={Math.abs(b[1] - a[1])}
              />
            )}
            <path d={`M${p[0] - 8},${p[1]} h16 M${p[0]},${p[1] - 8} v16`} />
            <text x={p[0] + 9} y={p[1] - 9}>
              {added.type}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
