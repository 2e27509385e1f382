import type { ReactNode } from 'react';
import { SHORTCUT_SECTIONS, keyLabel } from './shortcuts.js';
import './shortcutHelp.css';

/** The `?` help: every shortcut of the workstation from the one registry, the current page's first. */
export function ShortcutHelp({ first }: { first: string }): ReactNode {
  const sections = [...SHORTCUT_SECTIONS].sort(
    (a, b) => Number(b.title === first) - Number(a.title === first),
  );
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
      {sections.map((section) => (
        <section key={section.title} data-testid="help-section" data-title={section.title}>
          <h3>{section.title}</h3>
          <table>
            <tbody>
              {section.shortcuts.map((shortcut) => (
                <tr key={shortcut.command}>
                  <td>
                    {shortcut.keys.map((key) => (
                      <kbd key={key}>{keyLabel(key)}</kbd>
                    ))}
                  </td>
                  <td>{shortcut.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
