/**
 * The packaging configuration cannot be exercised here (Electron downloads are blocked), so this
 * checks it statically: every file the app loads at run time is packaged by build/electron-builder.json
 * (its `files` patterns, or as a production dependency not excluded by them), and every file that
 * is read by path from a worker, loaded as wasm or a native module, is unpacked from the asar.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { decode } from 'fast-png';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraResources?: (string | { from: string; to?: string; filter?: string[] })[];
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  [key: string]: unknown;
}

const config = JSON.parse(
  readFileSync(join(REPO_ROOT, 'build/electron-builder.json'), 'utf8'),
) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};
const require = createRequire(join(REPO_ROOT, 'package.json'));

interface RuntimeFile {
  /** Relative to the app root, with forward slashes. */
  path: string;
  /** Read by path from a worker, or loaded as wasm / a native module: must be outside the asar. */
  unpack: boolean;
  why: string;
}

const posix = (path: string) => path.split(sep).join('/');
const rel = (absolute: string) => posix(relative(REPO_ROOT, absolute));
const glob = (pattern: string, path: string) => minimatch(path, pattern, { dot: true });

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Worker modules the back end starts: `new URL(`./xWorker${extname(...)}`, import.meta.url)`. */
function workerNames(): string[] {
  const names = new Set<string>();
  for (const file of walk(join(REPO_ROOT, 'main')).filter((f) => f.endsWith('.ts'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/new URL\(`\.\/(\w+Worker)\$\{extname/g))
      names.add(match[1]!);
  }
  return [...names].sort();
}

/** `glue`/`wasm` package subpaths of the image codecs, as main/imaging/codecs declares them. */
function codecSpecifiers(): string[] {
  const specifiers: string[] = [];
  for (const file of walk(join(REPO_ROOT, 'main/imaging/codecs'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:glue|wasm): '(@cornerstonejs\/[^']+)'/g))
      specifiers.push(match[1]!);
  }
  return specifiers;
}

function runtimeFiles(): RuntimeFile[] {
  const files: RuntimeFile[] = [
    { path: 'package.json', unpack: false, why: 'app manifest' },
    { path: pkg.main, unpack: false, why: 'Electron main bundle (package.json main)' },
    { path: 'dist/electron/preload.cjs', unpack: false, why: 'preload bundle' },
    { path: 'dist/renderer/index.html', unpack: false, why: 'renderer bundle entry' },
  ];
  for (const name of workerNames())
    files.push({ path: `dist/electron/${name}.js`, unpack: true, why: `worker bundle ${name}` });
  for (const file of walk(join(REPO_ROOT, 'dist/renderer')))
    files.push({ path: rel(file), unpack: false, why: 'renderer bundle' });
  // Shipped models: whatever is there now, and the layout every model folder has.
  for (const file of walk(join(REPO_ROOT, 'models')))
    files.push({ path: rel(file), unpack: true, why: 'shipped model' });
  for (const name of ['model.json', 'card.json', 'weights.bin'])
    files.push({ path: `models/example-model/${name}`, unpack: true, why: 'shipped model layout' });
  const wasmDir = join(REPO_ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const wasm = readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'));
  expect(wasm.length, 'tfjs wasm binaries').toBeGreaterThanOrEqual(3);
  for (const file of wasm)
    files.push({ path: rel(join(wasmDir, file)), unpack: true, why: 'tfjs wasm backend' });
  const codecs = codecSpecifiers();
  expect(codecs.filter((c) => /wasm$/.test(c)).length, 'codec wasm specifiers').toBeGreaterThanOrEqual(4);
  for (const specifier of codecs)
    files.push({ path: rel(require.resolve(specifier)), unpack: true, why: `codec ${specifier}` });
  const loader = require.resolve('@cornerstonejs/dicom-image-loader');
  files.push({
    path: rel(join(loader, '..', 'codecs', 'jpeg.js')),
    unpack: false,
    why: '12-bit JPEG decoder source read by jpegExtended.ts',
  });
  files.push({
    path: rel(require.resolve('better-sqlite3/build/Release/better_sqlite3.node')),
    unpack: true,
    why: 'native SQLite module',
  });
  return files;
}

const productionPackages = new Set([
  ...Object.keys(pkg.dependencies),
  ...Object.keys(pkg.optionalDependencies ?? {}),
]);

/** Whether electron-builder packs a file: app files by `files`, node_modules as production dependencies, minus negations. */
function packaged(path: string): boolean {
  const negations = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (negations.some((p) => glob(p, path))) return false;
  if (path.startsWith('node_modules/')) {
    const parts = path.split('/');
    const name = parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]!;
    return productionPackages.has(name);
  }
  const extra = (config.extraResources ?? []).some((r) =>
    typeof r === 'string' ? glob(r, path) : glob(`${r.from}/**`, path),
  );
  return extra || config.files.filter((p) => !p.startsWith('!')).some((p) => glob(p, path));
}

describe('electron-builder configuration', () => {
  const files = runtimeFiles();

  it('packages every file the app loads at run time', () => {
    const missing = files.filter((f) => !packaged(f.path)).map((f) => `${f.path} (${f.why})`);
    expect(missing).toEqual([]);
  });

  it('unpacks from the asar every wasm, model, worker and native file', () => {
    const packed = files
      .filter((f) => f.unpack && !config.asarUnpack.some((p) => glob(p, f.path)))
      .map((f) => `${f.path} (${f.why})`);
    expect(packed).toEqual([]);
  });

  it('leaves out development-only files and renderer-only packages', () => {
    for (const path of [
      'test/reports/reportExports.test.ts',
      'main/backend/MammoBackend.ts',
      'dist/electron/main.js.map',
      'node_modules/@kitware/vtk.js/index.js',
      'node_modules/react/index.js',
    ]) {
      expect(packaged(path), path).toBe(false);
    }
  });

  it('builds every worker bundle and is run by npm run dist', () => {
    const build = pkg.scripts['build:electron']!;
    for (const name of workerNames()) expect(build).toMatch(new RegExp(`main/\\w+/${name}\\.ts`));
    expect(build).toContain('--entry-names=[name]');
    expect(pkg.scripts['dist']).toContain('electron-builder --config build/electron-builder.json');
    expect(pkg.scripts['dist']).toMatch(/build:renderer.*build:electron/);
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
  });

  it('targets AppImage and deb, NSIS and dmg, with icons that exist', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    const icon = decode(readFileSync(join(REPO_ROOT, config.mac.icon)));
    expect(icon.width).toBeGreaterThanOrEqual(512);
    expect(icon.width).toBe(icon.height);
    const linuxIcons = readdirSync(join(REPO_ROOT, config.linux.icon)).filter((f) =>
      /^\d+x\d+\.png$/.test(f),
    );
    expect(linuxIcons).toEqual(
      expect.arrayContaining(['16x16.png', '32x32.png', '256x256.png', '512x512.png']),
    );
  });
});
