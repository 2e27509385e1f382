/**
 * The scale of a CBIS-DDSM TCIA full mammogram. The curators decompressed DDSM's scans into DICOM
 * at the digitiser's own sampling and wrote no PixelSpacing, so a file without one gets an estimate
 * that says it is one.
 */

/**
 * DDSM's films were digitised at 42 um (DBA), 43.5 um (Howtek) or 50 um (Lumisys); the middle of
 * that range is 46 um, within 10% of each.
 */
export const TCIA_ESTIMATED_SPACING_MM = 0.046;

/** What the image's metadata says about that spacing. */
export const TCIA_SPACING_DERIVATION =
  'estimated, not measured: the CBIS-DDSM DICOM has no PixelSpacing; DDSM films were digitised at ' +
  '42-50 um (DBA 42, Howtek 43.5, Lumisys 50 um), so about 0.046 mm per pixel, +-10%';
