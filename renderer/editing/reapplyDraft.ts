import type { AnnotationFindings } from '../../main/api/annotations.js';

/**
 * A reader's strokes replayed on top of a version another reader saved meanwhile: every pixel the
 * reader changed from the version they started on (`base`) takes the reader's value, every other
 * pixel keeps the new version's (`theirs`), value and all. Masks are 0 outside, > 0 inside, one
 * byte per pixel.
 *
 * @example
 * const merged = reapplyStrokes(openedMask, editedMask, newestMask);
 */
export function reapplyStrokes(base: Uint8Array, mine: Uint8Array, theirs: Uint8Array): Uint8Array {
  if (base.length !== mine.length || mine.length !== theirs.length)
    throw new Error(`masks of different sizes (${base.length}, ${mine.length}, ${theirs.length})`);
  const merged = new Uint8Array(theirs.length);
  for (let i = 0; i < merged.length; i++) {
    const changed = base[i]! > 0 !== mine[i]! > 0;
    merged[i] = changed ? mine[i]! : theirs[i]!;
  }
  return merged;
}

/**
 * The reader's finding changes replayed on top of the new version's findings, as
 * {@link reapplyStrokes} does for pixels: a decision the reader made or changed wins; an added
 * finding the reader added is added, one the reader removed is removed.
 */
export function reapplyFindings(
  base: AnnotationFindings,
  mine: AnnotationFindings,
  theirs: AnnotationFindings,
): AnnotationFindings {
  const decisionOf = (findings: AnnotationFindings, index: number) =>
    findings.decisions.find((d) => d.findingIndex === index)?.decision;
  const indices = new Set([...theirs.decisions, ...mine.decisions].map((d) => d.findingIndex));
  const decisions = [...indices]
    .sort((a, b) => a - b)
    .flatMap((findingIndex) => {
      const minesChanged = decisionOf(mine, findingIndex) !== decisionOf(base, findingIndex);
      const decision = minesChanged ? decisionOf(mine, findingIndex) : decisionOf(theirs, findingIndex);
      return decision ? [{ findingIndex, decision }] : [];
    });
  const key = (finding: AnnotationFindings['added'][number]) => JSON.stringify(finding);
  const baseKeys = new Set(base.added.map(key));
  const mineKeys = new Set(mine.added.map(key));
  const removedByMe = new Set([...baseKeys].filter((k) => !mineKeys.has(k)));
  const added = theirs.added.filter((finding) => !removedByMe.has(key(finding)));
  const present = new Set(added.map(key));
  for (const finding of mine.added)
    if (!baseKeys.has(key(finding)) && !present.has(key(finding))) added.push(finding);
  return { decisions, added };
}
