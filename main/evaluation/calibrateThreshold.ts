import { sensitivitySpecificity } from './rocAuc.js';

/**
 * The image-level operating threshold that maximises Youden's J (sensitivity + specificity - 1)
 * on a calibration set. Use the training split: choosing it on validation would flatter the
 * validation figures. Returns the midpoint between neighbouring scores so it generalises.
 */
export function youdenThreshold(scores: readonly number[], labels: readonly boolean[]): number {
  const distinct = [...new Set(scores)].sort((a, b) => a - b);
  if (distinct.length === 0) return 0.5;
  let best = { j: -Infinity, threshold: 0.5 };
  for (let i = 0; i < distinct.length; i++) {
    const threshold = i === 0 ? distinct[0]! : (distinct[i - 1]! + distinct[i]!) / 2;
    const { sensitivity, specificity } = sensitivitySpecificity(scores, labels, threshold);
    const j = sensitivity + specificity - 1;
    if (j > best.j) best = { j, threshold };
  }
  return best.threshold;
}
