/**
 * Member maps of a multi-member model, combined by the card's rule ('max'). The maps are on one
 * grid already: each member's map comes back at the image's own pixels (predictProbabilityMap
 * resamples it there), so combining needs no further resampling.
 */
export interface CombinedMemberMap {
  /** Per pixel, the strongest member's probability. */
  probability: Float32Array;
  /**
   * Per pixel, the index of that member (the first one on a tie); null while only the first
   * member's map is in, so a single-network model allocates nothing more than its map.
   */
  member: Uint8Array | null;
}

/** The index of the member that gave a pixel of the combination. */
export function memberAt(combined: CombinedMemberMap, pixel: number): number {
  return combined.member ? combined.member[pixel]! : 0;
}

/**
 * Folds one member's map into the combination in place (the first member's map starts it).
 *
 * @example const c = startCombination(first); foldMemberMap(c, second, 1);
 */
export function foldMemberMap(combined: CombinedMemberMap, map: Float32Array, memberIndex: number): void {
  if (map.length !== combined.probability.length)
    throw new Error(`member map has ${map.length} pixels, the combination ${combined.probability.length}`);
  const { probability } = combined;
  const member = (combined.member ??= new Uint8Array(map.length));
  for (let i = 0; i < map.length; i++) {
    if (map[i]! > probability[i]!) {
      probability[i] = map[i]!;
      member[i] = memberIndex;
    }
  }
}

/** A combination holding the first member's map (which it takes over, not copies). */
export function startCombination(firstMap: Float32Array): CombinedMemberMap {
  return { probability: firstMap, member: null };
}
