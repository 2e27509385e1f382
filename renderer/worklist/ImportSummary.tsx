import type { ReactNode } from 'react';
import type { ImportResult } from '../../main/api/importing.js';

/**
 * What an import did: counts, a hint when the files look like another format, and one line per
 * file left out. Files that are not DICOM at all (a README beside the images) are listed apart from
 * the DICOM files that were refused, since only the latter mean something failed.
 */
export function ImportSummary({ result }: { result: ImportResult }): ReactNode {
  const refused = result.errors.filter((error) => !error.notDicom);
  const notDicom = result.errors.filter((error) => error.notDicom);
  return (
    <>
      <div className="import-result" data-testid="import-result" role="status">
        Imported {result.imported}, already present {result.skipped}
        {refused.length ? `, ${refused.length} refused` : ''}
        {notDicom.length ? `, ${notDicom.length} not DICOM` : ''}.
      </div>
      {result.suggestedFormat === 'mias' && (
        <div className="banner import-hint" data-testid="import-hint" role="note">
          These look like mini-MIAS images (mdbNNN.png or .pgm): choose the mini-MIAS format and import the
          folder that holds them and their case list again.
        </div>
      )}
      {result.errors.length > 0 && (
        <ul className="import-errors" data-testid="import-errors" role={refused.length ? 'alert' : 'note'}>
          {refused.map((error, index) => (
            <li key={`refused-${index}`}>
              <span className="file">{error.file}</span>: {error.reason}
            </li>
          ))}
          {notDicom.map((error, index) => (
            <li key={`not-dicom-${index}`} className="not-dicom">
              <span className="file">{error.file}</span>: not DICOM, left out ({error.reason})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
