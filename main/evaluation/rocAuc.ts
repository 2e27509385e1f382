/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann-Whitney U statistic). NaN when a class is empty.
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores
    .map((score, index) => ({ score, positive: labels[index] === true }))
    .sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSumPositives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]!.score === order[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2; // ranks are 1-based
    for (let k = i; k < j; k++) {
      if (order[k]!.positive) {
        positives++;
        rankSumPositives += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Sensitivity and specificity when scores >= threshold are called positive. */
export function sensitivitySpecificity(
  scores: readonly number[],
  labels: readonly boolean[],
  threshold: number,
): { sensitivity: number; specificity: number } {
  let tp = 0;
  let fn = 0;
  let tn = 0;
  let fp = 0;
  scores.forEach((score, i) => {
    const called = score >= threshold;
    if (labels[i]) {
      if (called) tp++;
      else fn++;
    } else if (called) fp++;
    else tn++;
  });
  return { sensitivity: tp / (tp + fn), specificity: tn / (tn + fp) };
}
