/** Data the shipped model was trained on, credited as each licence requires (shown in About). */
export interface DataCredit {
  name: string;
  licence: string;
  licenceUrl: string;
  /** What it is used for here. */
  use: string;
  /** The citations the publisher asks for, verbatim. */
  citations: readonly string[];
}

export const DATA_CREDITS: readonly DataCredit[] = Object.freeze([
  {
    name: 'CBIS-DDSM (Curated Breast Imaging Subset of DDSM)',
    licence: 'CC BY 3.0',
    licenceUrl: 'https://creativecommons.org/licenses/by/3.0/',
    use: 'Mass training data of the shipped model (film mammograms, rescaled; the official test split is not used).',
    citations: [
      'Sawyer-Lee R, Gimenez F, Hoogi A, Rubin D. Curated Breast Imaging Subset of DDSM (CBIS-DDSM). The Cancer Imaging Archive, 2016. doi:10.7937/K9/TCIA.2016.7O02S9CY',
      'Lee RS, Gimenez F, Hoogi A, Miyake KK, Gorovoy M, Rubin DL. A curated mammography data set for use in computer-aided detection and diagnosis research. Scientific Data 4, 170177 (2017).',
      'Heath M, Bowyer K, Kopans D, Moore R, Kegelmeyer P. The Digital Database for Screening Mammography. Proc. 5th International Workshop on Digital Mammography, 2001.',
    ],
  },
]);
