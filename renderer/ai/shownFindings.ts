/**
 * Which AI findings the reading view shows: the API's own findings (the same set the editor, the
 * CLI, the SR and the report use), never a set recomputed from the map. Pure.
 */
import type { Finding, Prediction } from '../../main/api/predictions.js';

/**
 * The prediction's findings whose peak reaches `threshold`, strongest first, at most `cap`
 * (`Infinity` for the full list).
 */
export function shownFindings(prediction: Prediction | null, threshold: number, cap: number): Finding[] {
  if (!prediction) return [];
  return prediction.findings
    .filter((finding) => finding.maxProbability >= threshold)
    .sort((a, b) => b.maxProbability - a.maxProbability || a.index - b.index)
    .slice(0, Math.max(0, cap));
}
