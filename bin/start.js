#!/usr/bin/env node
// `npm start`: builds the renderer and the Electron entry points, then launches the desktop app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The Electron executable, or null when the package was installed without its binary. */
function electronExecutable() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  // Checked by hand: requiring 'electron' would try to download a missing binary.
  if (!existsSync(pathFile)) return null;
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(executable) ? executable : null;
}

const executable = electronExecutable();
if (!executable) {
  console.error(
    'Electron is not installed on this machine (installed without its binary); run `npm run serve` for browser mode.',
  );
  process.exit(1);
}
for (const script of ['build:renderer', 'build:electron']) {
  const build = spawnSync('npm', ['run', '--silent', script], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const child = spawn(executable, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
