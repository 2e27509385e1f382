import type { ReactNode } from 'react';
import type { Annotation } from '../../main/api/annotations.js';

/** The image's saved annotation versions, newest first, each restorable. */
export function VersionList({
  versions,
  onRestore,
}: {
  versions: readonly Annotation[];
  onRestore(annotation: Annotation): void;
}): ReactNode {
  return (
    <section>
      <h3>Versions</h3>
      {versions.length === 0 ? (
        <p className="muted">None saved yet.</p>
      ) : (
        <table className="version-table" data-testid="version-list">
          <thead>
            <tr>
              <th>v</th>
              <th>Reader</th>
              <th>Saved</th>
              <th>px</th>
              <th>Dice vs AI</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((annotation, i) => (
              <tr
                key={annotation.id}
                data-testid="version"
                data-version={annotation.version}
                data-annotation-id={annotation.id}
              >
                <td>{annotation.version}</td>
                <td>{annotation.author}</td>
                <td>{new Date(annotation.createdAt).toLocaleTimeString()}</td>
                <td>{annotation.positivePixels}</td>
                <td>{annotation.correctionDice === null ? '–' : annotation.correctionDice.toFixed(3)}</td>
                <td>
                  {i > 0 && (
                    <button
                      type="button"
                      onClick={() => onRestore(annotation)}
                      aria-label={`Restore version ${annotation.version}`}
                    >
                      Restore
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
