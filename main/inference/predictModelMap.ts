import type { ModelMember } from '../api/models.js';
import type { Region } from './breastRegion.js';
import { foldMemberMap, startCombination, type CombinedMemberMap } from './combineMemberMaps.js';
import type { LoadedMember } from './modelRunner.js';
import { mirrorAveraged, tileRunnerFor } from './modelRunner.js';
import { predictProbabilityMap } from './predictProbabilityMap.js';

export interface ModelMapOptions {
  tileSize: number;
  overlap: number;
  /** The card's flip test-time augmentation (ModelCard.testTimeMirror). */
  testTimeMirror?: boolean;
  /** Tiles done of tiles total over all members; later members count as the current one's tiles until they start. */
  onProgress?: (done: number, total: number) => void;
}

export interface ModelMap extends CombinedMemberMap {
  region: Region;
  /** The members, in the order `member` indexes. */
  members: ModelMember[];
}

/**
 * A model's probability map of one image: each member runs at its own spacing over the breast
 * (predictProbabilityMap), and the member maps are combined per pixel by maximum (the card's rule).
 *
 * The combination is on the image's own pixels, the grid predictProbabilityMap returns: no member
 * reads finer than the image (a native-spacing member is at most as fine), so no member loses
 * detail there, and it is the grid the cached map, the findings and the viewer already use.
 * Combining on the finest member's grid instead would resample the coarse member's map twice and
 * still need a last resample to the image.
 */
export async function predictModelMap(
  display: Uint8Array,
  rows: number,
  columns: number,
  spacingMm: number,
  members: readonly LoadedMember[],
  options: ModelMapOptions,
): Promise<ModelMap> {
  let combined: CombinedMemberMap | undefined;
  let region: Region | undefined;
  let tilesBefore = 0;
  for (const [index, { member, model }] of members.entries()) {
    const later = members.length - 1 - index;
    const runner = options.testTimeMirror ? mirrorAveraged(tileRunnerFor(model)) : tileRunnerFor(model);
    const map = await predictProbabilityMap(display, rows, columns, spacingMm, runner, {
      modelSpacingMm: member.inputPixelSpacingMm,
      normalisation: member.normalisation,
      tileSize: options.tileSize,
      overlap: options.overlap,
      onProgress: (done, total) =>
        options.onProgress?.(tilesBefore + done, tilesBefore + total * (1 + later)),
    });
    tilesBefore += map.tiles;
    region ??= map.region;
    if (combined) foldMemberMap(combined, map.probability, index);
    else combined = startCombination(map.probability);
  }
  if (!combined || !region) throw new Error('a model has at least one member');
  return { ...combined, region, members: members.map((m) => m.member) };
}
