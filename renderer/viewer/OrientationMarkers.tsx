import type { ReactNode } from 'react';
import type { OrientationLabels } from './hanging.js';

/** The patient directions at the middle of each viewport edge (A/P, H/F, R/L), as OHIF and Weasis print them. */
export function OrientationMarkers({ labels }: { labels: OrientationLabels | null }): ReactNode {
  if (!labels) return null;
  return (
    <div className="orientation-markers" data-testid="orientation-markers">
      {(['left', 'right', 'top', 'bottom'] as const).map((edge) => (
        <span key={edge} className={`orientation-label edge-${edge}`} data-edge={edge}>
          {labels[edge]}
        </span>
      ))}
    </div>
  );
}
