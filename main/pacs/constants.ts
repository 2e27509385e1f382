/** Defaults of the PACS connections. */

/** A request whose socket stays silent this long fails as "did not answer" (a PACS down or stalled). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** QIDO-RS study search: at most this many studies per query unless the caller asks for fewer. */
export const DEFAULT_QUERY_LIMIT = 100;

/** Our AE title when calling a node (C-ECHO). */
export const CALLING_AE_TITLE = 'MAMMO';

/**
 * The listener's idle limits (dcmjs-dimse): a socket silent for `connectTimeout` is closed, so a
 * flood of connections that never speak frees its slots. Long enough for a sender that waits for
 * its C-STORE answer while earlier imports run.
 */
export const LISTENER_TIMEOUTS = { connectTimeout: 30_000, associationTimeout: 10_000, pduTimeout: 30_000 };

/** Sockets the listener keeps open at once; more are refused at the socket (file descriptors, memory). */
export const LISTENER_MAX_CONNECTIONS = 256;

/** SOP classes the workstation does not import from a PACS: left there, noted in the result. */
export const NOT_IMPORTED_SOP_CLASSES: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.88.50': 'Mammography CAD SR',
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
  '1.2.840.10008.5.1.4.1.1.88.59': 'Key Object Selection',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
};

/** A push "sending" for this long (or ten request timeouts, if longer) has no live sender. */
export const PUSH_STALE_MS = 5 * 60 * 1000;
