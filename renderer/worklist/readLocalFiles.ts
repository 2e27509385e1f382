/** Reads what the user dropped on the page or picked with a file input (see {@link LocalSelection}). */
import type { LocalFile, LocalSelection } from '../api/ApiTransport.js';

/**
 * Reads a drop. The entries must be taken while the drop event runs (the browser empties the
 * DataTransfer afterwards); the folders are walked after. A DataTransfer without file-system
 * entries (one built by a script) gives its files by name.
 */
export function readDrop(dataTransfer: DataTransfer): Promise<LocalSelection> {
  const roots = [...dataTransfer.files];
  const items = [...dataTransfer.items].filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry());
  const loose = items.flatMap((item, index) => {
    const file = entries[index] ? null : item.getAsFile();
    return file ? [{ file, relativePath: file.name }] : [];
  });
  return (async () => {
    const walked: LocalFile[] = [];
    for (const entry of entries) if (entry) walked.push(...(await walkEntry(entry)));
    return { roots, files: uniquePaths([...walked, ...loose]) };
  })();
}

/** Reads a file input (`multiple`, or `webkitdirectory` for a folder). */
export function readFileInput(files: FileList): LocalSelection {
  const list = [...files];
  return {
    roots: list,
    files: uniquePaths(list.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }))),
  };
}

async function walkEntry(entry: FileSystemEntry): Promise<LocalFile[]> {
  const relativePath = entry.fullPath.replace(/^\/+/, '');
  if (isFileEntry(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    return [{ file, relativePath }];
  }
  if (!isDirectoryEntry(entry)) return [];
  const reader = entry.createReader();
  const found: LocalFile[] = [];
  // readEntries answers in batches (about 100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (!batch.length) return found;
    for (const child of batch) found.push(...(await walkEntry(child)));
  }
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

/** Two files with one path (two loose files of one name) would collide: the later gets ` (2)`. */
function uniquePaths(files: readonly LocalFile[]): LocalFile[] {
  const seen = new Set<string>();
  return files.map(({ file, relativePath }) => {
    let path = relativePath;
    for (let copy = 2; seen.has(path.toLowerCase()); copy++) {
      path = relativePath.replace(/(\.[^./]*)?$/, (extension) => ` (${copy})${extension}`);
    }
    seen.add(path.toLowerCase());
    return { file, relativePath: path };
  });
}
