/** An error flattened for postMessage, which keeps neither its class nor custom fields. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** A machine-readable code (e.g. ENOENT, or a module's own error code). */
  code?: string;
  /** Other string fields the error carried (e.g. reason, fileName). */
  fields?: Record<string, string>;
}

/** Own properties kept out of `fields` because SerializedError has them already. */
const OWN_KEYS = new Set(['name', 'message', 'stack', 'code']);

/**
 * Flattens anything thrown for the trip across threads. A module's own error class (one that sets
 * `name`) can be rebuilt on the other side from `name`, `code` and `fields`.
 */
export function serializeError(thrown: unknown): SerializedError {
  if (!(thrown instanceof Error)) return { name: 'Error', message: String(thrown) };
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(thrown))
    if (typeof value === 'string' && !OWN_KEYS.has(key)) fields[key] = value;
  const code = (thrown as { code?: unknown }).code;
  return {
    name: thrown.name,
    message: thrown.message,
    ...(thrown.stack ? { stack: thrown.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
  };
}

/** Rebuilds a plain Error with the same name, message, stack, code and fields. */
export function deserializeError(error: SerializedError): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  Object.assign(rebuilt, error.fields ?? {}, error.code === undefined ? {} : { code: error.code });
  return rebuilt;
}
