import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { DicomListenerStatus, PacsAuthKind, PacsConnectionTest, PacsNode } from '../../main/api/pacs.js';
import { useApi } from '../api/ApiContext.js';
import { messageOf } from '../common/messageOf.js';

export interface PacsSettingsProps {
  nodes: PacsNode[];
  onChanged(): void;
}

const EMPTY = {
  name: '',
  url: '',
  auth: 'none' as PacsAuthKind,
  username: '',
  secret: '',
  aeTitle: '',
  host: '',
  port: '',
};

/**
 * PACS nodes (add, change, remove, test connection) and the DICOM listener. A node's password or
 * token can be set or replaced here but is never shown: the back end does not send it back.
 */
export function PacsSettings({ nodes, onChanged }: PacsSettingsProps): ReactNode {
  const client = useApi();
  const [form, setForm] = useState(EMPTY);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, PacsConnectionTest | string>>({});
  const [listener, setListener] = useState<DicomListenerStatus | null>(null);
  const [listenerForm, setListenerForm] = useState({
    enabled: false,
    port: '11112',
    aeTitle: 'MAMMO',
    allowed: '',
  });

  useEffect(() => {
    client.getDicomListener({}).then(
      (current) => {
        setListener(current);
        setListenerForm({
          enabled: current.enabled,
          port: String(current.port),
          aeTitle: current.aeTitle,
          allowed: current.allowedCallingAeTitles.join(', '),
        });
      },
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [client]);

  const edit = (node: PacsNode): void =>
    setForm({
      name: node.name,
      url: node.url,
      auth: node.auth,
      username: node.username ?? '',
      secret: '',
      aeTitle: node.aeTitle ?? '',
      host: node.host ?? '',
      port: node.port ? String(node.port) : '',
    });

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    try {
      await client.savePacsNode({
        name: form.name.trim(),
        url: form.url.trim(),
        auth: form.auth,
        username: form.username.trim() || null,
        // Empty keeps the stored secret.
        ...(form.secret ? { secret: form.secret } : {}),
        aeTitle: form.aeTitle.trim() || null,
        host: form.host.trim() || null,
        port: form.port ? Number(form.port) : null,
      });
      setStatus(`Saved ${form.name.trim()}`);
      setForm(EMPTY);
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const test = async (name: string): Promise<void> => {
    setTests((all) => ({ ...all, [name]: 'testing…' }));
    try {
      const result = await client.testPacsNode({ name });
      setTests((all) => ({ ...all, [name]: result }));
    } catch (failure) {
      setTests((all) => ({ ...all, [name]: messageOf(failure) }));
    }
  };

  const remove = async (name: string): Promise<void> => {
    setError(null);
    try {
      await client.removePacsNode({ name });
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const saveListener = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    try {
      setListener(
        await client.setDicomListener({
          enabled: listenerForm.enabled,
          port: Number(listenerForm.port),
          aeTitle: listenerForm.aeTitle.trim(),
          allowedCallingAeTitles: listenerForm.allowed
            .split(',')
            .map((ae) => ae.trim())
            .filter(Boolean),
        }),
      );
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const input = (key: keyof typeof EMPTY, label: string, type = 'text', placeholder = ''): ReactNode => (
    <label>
      {label}
      <input
        type={type}
        name={key}
        value={form[key]}
        placeholder={placeholder}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        onChange={(event) => setForm((f) => ({ ...f, [key]: event.target.value }))}
      />
    </label>
  );
  const editing = nodes.find((n) => n.name === form.name.trim());

  return (
    <div className="pacs-settings" data-testid="pacs-settings">
      <ul className="pacs-nodes">
        {nodes.map((node) => {
          const result = tests[node.name];
          return (
            <li key={node.name} data-testid="pacs-node">
              <strong>{node.name}</strong> {node.url} ({node.auth}
              {node.hasSecret ? ', secret stored' : ''}
              {node.aeTitle ? `; ${node.aeTitle}@${node.host}:${node.port}` : ''})
              <button type="button" onClick={() => edit(node)}>
                Edit
              </button>
              <button type="button" data-testid="pacs-test" onClick={() => void test(node.name)}>
                Test connection
              </button>
              <button type="button" onClick={() => void remove(node.name)}>
                Remove
              </button>
              {result && (
                <div className="pacs-test-result" role="status" data-testid="pacs-test-result">
                  {typeof result === 'string' ? (
                    result
                  ) : (
                    <>
                      <div className={result.dicomweb.ok ? '' : 'report-error'}>
                        DICOMweb: {result.dicomweb.ok ? 'ok' : 'failed'} ({result.dicomweb.milliseconds} ms) –{' '}
                        {result.dicomweb.message}
                      </div>
                      {result.echo && (
                        <div className={result.echo.ok ? '' : 'report-error'}>
                          C-ECHO: {result.echo.ok ? 'ok' : 'failed'} ({result.echo.milliseconds} ms) –{' '}
                          {result.echo.message}
                        </div>
                      )}
                    </>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <form className="pacs-node-form" onSubmit={(event) => void save(event)} aria-label="PACS node">
        {input('name', 'Name', 'text', 'hospital')}
        {input('url', 'DICOMweb URL', 'url', 'https://pacs.example/dicom-web')}
        <label>
          Auth
          <select
            name="auth"
            value={form.auth}
            onChange={(event) => setForm((f) => ({ ...f, auth: event.target.value as PacsAuthKind }))}
          >
            <option value="none">none</option>
            <option value="basic">user and password</option>
            <option value="bearer">bearer token</option>
          </select>
        </label>
        {form.auth === 'basic' && input('username', 'User')}
        {form.auth !== 'none' &&
          input(
            'secret',
            form.auth === 'basic' ? 'Password' : 'Token',
            'password',
            editing?.hasSecret ? '(stored; type to replace)' : '',
          )}
        {input('aeTitle', 'AE title')}
        {input('host', 'Host')}
        {input('port', 'Port', 'number')}
        <button type="submit" data-testid="pacs-save-node" disabled={!form.name.trim() || !form.url.trim()}>
          {editing ? 'Save changes' : 'Add node'}
        </button>
      </form>
      <form
        className="pacs-listener-form"
        onSubmit={(event) => void saveListener(event)}
        aria-label="DICOM listener"
      >
        <label>
          <input
            type="checkbox"
            checked={listenerForm.enabled}
            onChange={(event) => setListenerForm((f) => ({ ...f, enabled: event.target.checked }))}
          />
          DICOM listener (C-STORE)
        </label>
        <label>
          Port
          <input
            type="number"
            value={listenerForm.port}
            onChange={(event) => setListenerForm((f) => ({ ...f, port: event.target.value }))}
          />
        </label>
        <label>
          AE title
          <input
            value={listenerForm.aeTitle}
            onChange={(event) => setListenerForm((f) => ({ ...f, aeTitle: event.target.value }))}
          />
        </label>
        <label>
          Accept from (calling AE titles)
          <input
            value={listenerForm.allowed}
            placeholder="MODALITY1, PACS"
            onChange={(event) => setListenerForm((f) => ({ ...f, allowed: event.target.value }))}
          />
        </label>
        <button type="submit">Apply</button>
        {listener && (
          <span className="report-note" role="status">
            {listener.listening
              ? `Listening on ${listener.port} as ${listener.aeTitle}; ${listener.received} received, ${listener.rejectedAssociations} associations rejected`
              : 'Off'}
          </span>
        )}
      </form>
      {status && <div className="report-note">{status}</div>}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
