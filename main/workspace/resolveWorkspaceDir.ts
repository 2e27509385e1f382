import envPaths from 'env-paths';
import { resolve } from 'node:path';

export const WORKSPACE_ENV_VAR = 'MAMMO_WORKSPACE';
const APP_NAME = 'mammo-workstation';

/**
 * The workspace folder: an explicit `--workspace DIR` wins, then `MAMMO_WORKSPACE`, then the
 * per-user app data folder (e.g. ~/.local/share/mammo-workstation on Linux).
 */
export function resolveWorkspaceDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) {
    // `--workspace ""` (an unset shell variable) must not quietly open the default workspace.
    if (!flag.trim()) throw new WorkspaceDirError('--workspace needs a folder, not an empty name');
    return resolve(flag);
  }
  const fromEnv = env[WORKSPACE_ENV_VAR];
  if (fromEnv) return resolve(fromEnv);
  return envPaths(APP_NAME, { suffix: '' }).data;
}

/** A workspace named so that no folder can be meant: one line for the user, exit 2. */
export class WorkspaceDirError extends Error {}
