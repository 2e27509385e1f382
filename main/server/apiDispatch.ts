import { z } from 'zod';
import { API_METHODS, type ApiMethodName, type MammoApi } from '../api/contract.js';
import { NotFoundError, RequestRefusedError } from '../api/errors.js';

/** Input that fails a method's schema; transports answer it as a client error (HTTP 400). */
export class ApiInputError extends Error {
  override readonly name = 'ApiInputError';
}

/** True when `name` is one of the contract's methods (own keys only: no `toString`, no `__proto__`). */
export function isApiMethodName(name: string): name is ApiMethodName {
  return Object.hasOwn(API_METHODS, name);
}

/**
 * Validates untrusted input against the method's schema and calls it: the one path by which the
 * HTTP server and Electron's IPC reach the back end.
 *
 * @example
 * const studies = await callApiMethod(backend, 'listStudies', {});
 * @throws ApiInputError with zod's message when the input doesn't match.
 */
export async function callApiMethod(
  api: MammoApi,
  method: ApiMethodName,
  rawInput: unknown,
): Promise<unknown> {
  const parsed = API_METHODS[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new ApiInputError(`${method}: ${z.prettifyError(parsed.error)}`);
  const call = api[method] as (input: unknown) => Promise<unknown>;
  return call.call(api, parsed.data);
}

/** The error a transport sends back: the message only, never a stack. */
export function describeApiError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The HTTP-style status of a failed call, one table for every transport: bad input 400, an unknown
 * thing 404, a refusal by the workspace's state 409, anything else 500.
 */
export function apiErrorStatus(error: unknown): 400 | 404 | 409 | 500 {
  if (error instanceof ApiInputError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof RequestRefusedError) return 409;
  return 500;
}
