import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { PacsNode, PacsPush, PacsPushKind } from '../../main/api/pacs.js';
import type { ApiClient } from '../api/ApiClient.js';
import { messageOf } from '../common/messageOf.js';

export interface PacsSendPanelProps {
  client: ApiClient;
  studyId: number;
  /** Saves the report's pending edits first, so the PDF holds what the form shows. */
  beforeSend?(): Promise<void>;
}

const SEND_BUTTONS: readonly { kind: PacsPushKind; label: string; title: string }[] = [
  { kind: 'seg', label: 'Send SEG', title: 'DICOM SEG of the final masks' },
  { kind: 'sr', label: 'Send CAD SR', title: 'Mammography CAD SR of the AI findings' },
  { kind: 'pdf', label: 'Send report', title: 'The report as Encapsulated PDF' },
];

/** Store-back of the study's results to a PACS node (STOW-RS), with each push's status and a retry. */
export function PacsSendPanel({ client, studyId, beforeSend }: PacsSendPanelProps): ReactNode {
  const [nodes, setNodes] = useState<PacsNode[]>([]);
  const [node, setNode] = useState('');
  const [pushes, setPushes] = useState<PacsPush[]>([]);
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    client.listPacsPushes({ studyId }).then(setPushes, (failure: unknown) => setError(messageOf(failure)));
  }, [client, studyId]);
  useEffect(() => {
    client.listPacsNodes({}).then(
      (list) => {
        setNodes(list);
        setNode((current) => current || (list[0]?.name ?? ''));
      },
      (failure: unknown) => setError(messageOf(failure)),
    );
    refresh();
  }, [client, refresh]);

  const act = async (label: string, run: () => Promise<PacsPush>): Promise<void> => {
    setRunning(label);
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(messageOf(failure));
    }
    setRunning(null);
    refresh();
  };

  if (nodes.length === 0) return null;
  return (
    <section className="report-exports" aria-label="Send to PACS" data-testid="pacs-send">
      <h3>Send to PACS</h3>
      <div className="report-export-buttons" role="group" aria-label="Send to PACS">
        <select aria-label="PACS node" value={node} onChange={(event) => setNode(event.target.value)}>
          {nodes.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name}
            </option>
          ))}
        </select>
        {SEND_BUTTONS.map((button) => (
          <button
            key={button.kind}
            type="button"
            title={button.title}
            data-testid={`pacs-send-${button.kind}`}
            disabled={running !== null || !node}
            onClick={() =>
              void act(button.kind, async () => {
                await beforeSend?.();
                return client.sendToPacs({ studyId, node, kind: button.kind });
              })
            }
          >
            {running === button.kind ? `${button.label}…` : button.label}
          </button>
        ))}
      </div>
      {error && (
        <div className="report-error" role="alert">
          {error}
        </div>
      )}
      <ul className="report-export-results" data-testid="pacs-pushes">
        {pushes.map((push) => (
          <li key={push.id} data-testid="pacs-push" data-state={push.status}>
            {push.kind.toUpperCase()} to {push.node}: {push.status}
            {push.attempts > 1 ? ` (attempt ${push.attempts})` : ''} ·{' '}
            {new Date(push.updatedAt).toLocaleString()}
            {push.error && <div className="report-error">{push.error}</div>}
            {push.status === 'failed' && (
              <button
                type="button"
                disabled={running !== null}
                onClick={() => void act(`retry-${push.id}`, () => client.retryPacsPush({ pushId: push.id }))}
              >
                Retry
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
