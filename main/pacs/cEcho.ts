import dcmjsDimse from 'dcmjs-dimse';
import { CALLING_AE_TITLE } from './constants.js';

const { Client } = dcmjsDimse;
const { CEchoRequest } = dcmjsDimse.requests;
const { Status } = dcmjsDimse.constants;

dcmjsDimse.log.setLevel('silent');

/**
 * C-ECHO (DICOM "ping") to a node's AE title: resolves with a reader-facing verdict, never
 * rejects.
 */
export function cEcho(
  address: { host: string; port: number; aeTitle: string },
  timeoutMs: number,
): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok: boolean, message: string): void => {
      if (settled) return;
      settled = true;
      resolve({ ok, message });
    };
    const client = new Client();
    const request = new CEchoRequest();
    request.on('response', (response: { getStatus(): number }) => {
      if (response.getStatus() === Status.Success) settle(true, `C-ECHO to ${address.aeTitle} succeeded`);
      else
        settle(false, `C-ECHO to ${address.aeTitle} answered status ${response.getStatus().toString(16)}H`);
    });
    client.addRequest(request);
    client.on('associationRejected', (result: { reason?: number }) =>
      settle(
        false,
        `${address.aeTitle} rejected the association (reason ${result?.reason ?? '?'}); is our AE title ${CALLING_AE_TITLE} known to it?`,
      ),
    );
    client.on('networkError', (error: Error) =>
      settle(false, `no DICOM answer from ${address.host}:${address.port} (${error.message})`),
    );
    client.on('closed', () => settle(false, `${address.host}:${address.port} closed the connection`));
    client.send(address.host, address.port, CALLING_AE_TITLE, address.aeTitle, {
      connectTimeout: timeoutMs,
      associationTimeout: timeoutMs,
      pduTimeout: timeoutMs,
    });
  });
}
