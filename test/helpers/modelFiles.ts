import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The outside truth for a pinned file: node:crypto's sha256 of its bytes as they lie on disk. */
export function sha256OfFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Edits a model folder's topology, weights untouched: the `logits` layer's activation goes from
 * linear to sigmoid. The network still builds and loads with the same weights, so only the topology's
 * sha256 can tell. Returns model.json's bytes before the edit, to put back.
 */
export function editTopology(folder: string, file = 'model.json'): Buffer {
  const path = join(folder, file);
  const original = readFileSync(path);
  const modelJson = JSON.parse(original.toString('utf8')) as {
    modelTopology: { config: { layers: { name: string; config: { activation?: string } }[] } };
  };
  const logits = modelJson.modelTopology.config.layers.find((layer) => layer.name === 'logits');
  if (logits?.config.activation !== 'linear') throw new Error(`${path}: no linear logits layer to edit`);
  logits.config.activation = 'sigmoid';
  writeFileSync(path, JSON.stringify(modelJson));
  return original;
}
