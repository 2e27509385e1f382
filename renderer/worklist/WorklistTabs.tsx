import { type ReactNode, useState } from 'react';
import { PacsPanel } from './PacsPanel.js';
import { Worklist } from './Worklist.js';
import './pacs.css';

export interface WorklistTabsProps {
  onOpen(studyId: number): void;
}

type Tab = 'studies' | 'pacs';

/** The worklist page: the workspace's studies, and the PACS (search and retrieve). */
export function WorklistTabs({ onOpen }: WorklistTabsProps): ReactNode {
  const [tab, setTab] = useState<Tab>('studies');
  return (
    <div className="worklist-tabs">
      <div className="tab-bar" role="tablist" aria-label="Worklist">
        {(
          [
            ['studies', 'Studies'],
            ['pacs', 'PACS'],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            data-testid={`tab-${id}`}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'studies' ? <Worklist onOpen={onOpen} /> : <PacsPanel onOpen={onOpen} />}
    </div>
  );
}
