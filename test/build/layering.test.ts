import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MAIN = resolve(import.meta.dirname, '../../main');

/** Every .ts file under a folder of main/, recursively. */
function sourcesOf(folder: string): string[] {
  return readdirSync(join(MAIN, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The main/ folders a file imports, read by TypeScript's own scanner: static imports, type-only
 * imports, re-exports and dynamic `import()`.
 */
function foldersImportedBy(file: string): { specifier: string; folder: string }[] {
  return ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({
      specifier,
      folder: relative(MAIN, resolve(dirname(file), specifier)).split(/[\\/]/)[0]!,
    }));
}

/**
 * Data flows one way: import -> image -> prediction -> annotation -> training sample -> model
 * version. The layers below the training sample publish events; they never call up into training/.
 */
describe('layering', () => {
  it.each(['studies', 'imaging', 'inference', 'annotations'])(
    'main/%s imports nothing from main/training/',
    (folder) => {
      const files = sourcesOf(folder);
      expect(files.length).toBeGreaterThan(0);
      const upward = files.flatMap((file) =>
        foldersImportedBy(file)
          .filter((imported) => imported.folder === 'training' || imported.folder === 'backend')
          .map(({ specifier }) => `${relative(MAIN, file)} imports ${specifier}`),
      );
      expect(upward).toEqual([]);
    },
  );

  it('reads the imports it checks: it sees main/training/ importing main/annotations/', () => {
    const imported = sourcesOf('training').flatMap((file) => foldersImportedBy(file).map((i) => i.folder));
    expect(imported).toContain('annotations');
  });
});
