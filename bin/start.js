#!/usr/bin/env node
// `npm start`: launches the Electron shell when its binary is installed.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = undefined;
}
if (typeof electronBinary !== 'string') {
  console.error(
    'Electron is not installed on this machine (installed without its binary); run `npm run serve` for browser mode.',
  );
  process.exit(1);
}
const child = spawn(electronBinary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
