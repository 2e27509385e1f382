/**
 * The CBIS-DDSM 800x800 copies squash each film (about 3,000 x 5,000 px, portrait) into a square,
 * and record no physical scale. This module undoes the squash and states the estimated scale.
 */

/**
 * Rows per column the squash removed: the median width/height ratio of the 1,318 mass boxes of the
 * training split is 1.70 (CC and MLO alike). Masses are on average as tall as they are wide, so an
 * 800-row copy is 1,360 rows of square pixels.
 */
export const CBIS_SQUASH_RATIO = 1.7;

/**
 * Estimated mm per pixel after the rescale. DDSM digitisers sampled at 42-50 um and CBIS-DDSM films
 * are about 3,000-3,500 px wide, so 800 columns span about 135-165 mm: 0.17-0.21 mm per column.
 * 0.19 mm is the middle; masses then measure like mini-MIAS's (median box 80 px = 15 mm; mini-MIAS
 * mass circles, which enclose the lesion, median 19.6 mm across). About +-20% for any one film.
 */
export const CBIS_ESTIMATED_SPACING_MM = 0.19;

/** What an image's metadata and the model card say about that spacing. */
export const CBIS_SPACING_DERIVATION =
  'estimated, not measured: CBIS-DDSM 800x800 copy rescaled to square pixels (rows x 1.70, the median ' +
  'width/height ratio of the mass boxes); 800 columns taken to span a 135-165 mm film width ' +
  '(3,000-3,500 px at 42-50 um), so about 0.19 mm per pixel, +-20%';
