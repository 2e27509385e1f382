import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../main/api/models.js';
import { DEFAULT_MODEL_ID } from '../../main/training/defaultModelRecipe.js';
import { densityCaveat, densityValidation } from '../../renderer/ai/densityCaveat.js';

const validation = (byBreastDensity: unknown): ModelCard['validation'] => ({
  split: 'validation',
  imageAUC: 0.5,
  imageSensitivity: 0.5,
  imageSpecificity: 0.5,
  lesionSensitivityAt1FP: 0.3,
  pixelF1: 0.1,
  lesionIoU: 0.1,
  lesionDice: 0.1,
  images: 10,
  byBreastDensity,
});

describe('densityCaveat', () => {
  it('lists each density the card measured and flags those read below AUC 0.6', () => {
    const caveat = densityCaveat(
      validation({
        fatty: { images: 14, abnormalImages: 4, lesions: 4, imageAUC: 0.75, lesionSensitivityAt1FP: 0.75 },
        'dense-glandular': {
          images: 30,
          abnormalImages: 12,
          lesions: 15,
          imageAUC: 0.3009,
          lesionSensitivityAt1FP: 0.13,
        },
      }),
    );
    expect(caveat).toEqual({
      line: 'Image AUC by breast density (validation): fatty 0.750 · dense-glandular 0.301',
      weakIn: ['dense-glandular'],
    });
  });

  it('says nothing when the card has no density breakdown, or only unmeasurable groups', () => {
    expect(densityCaveat(null)).toBeNull();
    expect(densityCaveat(validation(undefined))).toBeNull();
    // A group with no normals has no AUC: mammo evaluate writes NaN, which JSON stores as null.
    expect(densityCaveat(validation({ fatty: { imageAUC: null } }))).toBeNull();
  });

  it("reads the shipped model's card as train:default wrote it: CBIS-DDSM validation has no normals, so the external mini-MIAS test gives the density AUCs", () => {
    const card = JSON.parse(
      readFileSync(new URL(`../../models/${DEFAULT_MODEL_ID}/card.json`, import.meta.url), 'utf8'),
    ) as ModelCard;
    expect(densityCaveat(card.validation)).toBeNull();
    const caveat = densityCaveat(densityValidation(card));
    expect(caveat?.line).toMatch(
      /^Image AUC by breast density \(external: the mini-MIAS validation patients/,
    );
    expect(caveat?.line).toContain('fatty ');
    expect(caveat?.line).toContain('dense-glandular ');
    // Exactly the densities whose external AUC the card records below 0.6.
    const byDensity = card.externalValidation!['byBreastDensity'] as Record<string, { imageAUC: number }>;
    expect(caveat?.weakIn).toEqual(Object.keys(byDensity).filter((d) => byDensity[d]!.imageAUC < 0.6));
  });
});
