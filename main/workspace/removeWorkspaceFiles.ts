import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Workspace } from './Workspace.js';

/**
 * Deletes workspace files by their workspace-relative paths, then each folder they leave empty
 * (never a folder that still holds something, never outside the workspace).
 */
export function removeFilesAndEmptyFolders(workspace: Workspace, relativePaths: readonly string[]): void {
  const folders = new Set<string>();
  for (const path of relativePaths) {
    const absolute = workspace.resolvePath(path);
    rmSync(absolute, { force: true });
    folders.add(dirname(absolute));
  }
  for (const folder of folders) {
    if (folder === workspace.root || !existsSync(folder) || readdirSync(folder).length) continue;
    rmdirSync(folder);
  }
}
