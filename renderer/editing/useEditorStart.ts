import { useEffect, useRef } from 'react';
import type { Annotation, AnnotationFindings } from '../../main/api/annotations.js';
import type { Prediction } from '../../main/api/predictions.js';
import type { ApiClient } from '../api/ApiClient.js';
import type { LabelmapSession } from './LabelmapSession.js';
import { messageOf } from '../common/messageOf.js';
import { decodeGrayPng, decodeMaskPng, maskAtThreshold } from './maskRaster.js';
import type { SaveConflict } from './SaveConflictNotice.js';

export const NO_FINDINGS: AnnotationFindings = { decisions: [], added: [] };

/** The saved version a reader's strokes start from (0: none), its mask and findings. */
export interface EditBase {
  version: number;
  mask: Uint8Array;
  findings: AnnotationFindings;
}

/**
 * Where an editing session starts. Fields left out keep what the editor has: the AI mask and an
 * empty start set no findings, and only a failed analysis or a restored draft or version sets a
 * message.
 */
export interface EditorStart {
  versions: Annotation[];
  analysed: { prediction: Prediction; map: Uint8Array } | null;
  /** The starting mask, session-sized. */
  mask: Uint8Array;
  base: EditBase;
  threshold?: number | null;
  findings?: AnnotationFindings;
  /** The restored draft's reader, when a draft is where the session starts. */
  draftReader?: string;
  /** A version newer than the one the restored draft started from. */
  conflict?: SaveConflict;
  message?: string;
}

export interface EditorStartOptions {
  client: ApiClient;
  imageId: number;
  /** Null until the labelmap exists; the start runs once per session. */
  session: LabelmapSession | null;
  /** The reader's name when the session starts: whose draft to restore. */
  reader(): string;
  /** The AI mask's threshold when nothing was saved; the prediction's finding threshold when absent. */
  initialThreshold: number | undefined;
  /** Takes the start (not called when the session ended meanwhile). */
  onStart(start: EditorStart, session: LabelmapSession): void;
}

/**
 * Starts each labelmap session from, in order: the reader's draft (with what its strokes started
 * from, so they can be reapplied on a newer version), else the image's newest saved version, else
 * the AI mask at its threshold, else an empty mask.
 */
export function useEditorStart(options: EditorStartOptions): void {
  const { client, imageId, session } = options;
  // The reader, the starting threshold and the callback count only when a session starts.
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    const { reader, initialThreshold } = latest.current;
    void loadEditorStart(client, imageId, session, reader().trim(), initialThreshold, () => cancelled).then(
      (start) => {
        if (start && !cancelled) latest.current.onStart(start, session);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, session, imageId]);
}

/** Reads the draft, the prediction and the versions and decides the start; null once `cancelled()`. */
async function loadEditorStart(
  client: ApiClient,
  imageId: number,
  session: Pick<LabelmapSession, 'columns' | 'rows'>,
  reader: string,
  initialThreshold: number | undefined,
  cancelled: () => boolean,
): Promise<EditorStart | null> {
  let noAi: string | undefined;
  const [saved, analysed, versions] = await Promise.all([
    client.getDraft({ imageId, reader }).catch(() => null),
    loadPrediction(client, imageId).catch((thrown: unknown) => {
      noAi = `No AI mask: ${messageOf(thrown)}`;
      return null;
    }),
    client.listAnnotations({ imageId }).catch(() => []),
  ]);
  if (cancelled()) return null;
  const found = { versions, analysed, ...(noAi ? { message: noAi } : {}) };
  const newest = saved ? undefined : versions[0];
  const newestMask = newest
    ? await client.getAnnotationMask({ annotationId: newest.id }).catch(() => null)
    : null;
  if (cancelled()) return null;
  const aiMask = (t: number | null) =>
    analysed ? maskAtThreshold(analysed.map, t ?? analysed.prediction.findingThreshold) : null;
  const empty = new Uint8Array(session.columns * session.rows);
  if (saved) {
    // What the draft's strokes started from, so they can be replayed on a newer version.
    const started = versions.find((a) => a.version === saved.baseVersion);
    const startedMask = started
      ? await client.getAnnotationMask({ annotationId: started.id }).catch(() => null)
      : null;
    if (cancelled()) return null;
    const base: EditBase = startedMask
      ? {
          version: started!.version,
          mask: decodeMaskPng(startedMask.maskPng).data,
          findings: started!.findings,
        }
      : {
          version: saved.baseVersion ?? versions[0]?.version ?? 0,
          mask: aiMask(saved.threshold) ?? empty,
          findings: NO_FINDINGS,
        };
    const newer = versions[0];
    return {
      ...found,
      mask: decodeMaskPng(saved.maskPng).data,
      base,
      threshold: saved.threshold ?? analysed?.prediction.findingThreshold ?? null,
      findings: saved.findings,
      draftReader: saved.reader,
      ...(newer && newer.version > base.version
        ? { conflict: { version: newer.version, author: newer.author } }
        : {}),
      message: `Draft restored (saved ${new Date(saved.updatedAt).toLocaleString()})`,
    };
  }
  if (newest && newestMask) {
    // The reader's newest saved version, not the AI's mask, is where a further correction starts.
    const mask = decodeMaskPng(newestMask.maskPng).data;
    return {
      ...found,
      mask,
      base: { version: newest.version, mask: mask.slice(), findings: newest.findings },
      threshold: newest.threshold ?? analysed?.prediction.findingThreshold ?? null,
      findings: newest.findings,
      message: `Editing from version ${newest.version} by ${newest.author}`,
    };
  }
  if (analysed) {
    const threshold = initialThreshold ?? analysed.prediction.findingThreshold;
    const mask = maskAtThreshold(analysed.map, threshold);
    return { ...found, mask, base: { version: 0, mask: mask.slice(), findings: NO_FINDINGS }, threshold };
  }
  return { ...found, mask: empty, base: { version: 0, mask: empty.slice(), findings: NO_FINDINGS } };
}

async function loadPrediction(
  client: ApiClient,
  imageId: number,
): Promise<{ prediction: Prediction; map: Uint8Array }> {
  const prediction = await client.analyzeImage({ imageId });
  const png = await client.fetchPredictionMap(imageId, prediction.modelId);
  return { prediction, map: decodeGrayPng(png).data };
}
