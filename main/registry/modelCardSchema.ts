import { z } from 'zod';
import type { ModelCard } from '../api/models.js';

const metric = z.number();

/** Runtime check of a card read from disk; the error names the bad field. */
export const modelCardSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  parentId: z.string().nullable(),
  createdAt: z.string(),
  architecture: z.string(),
  widthMultiplier: z.number().positive(),
  inputPixelSpacingMm: z.number().positive(),
  normalisation: z.object({
    offset: z.number(),
    scale: z.number().positive(),
    perImage: z.literal('breast').optional(),
  }),
  trainingData: z.looseObject({
    description: z.string(),
    images: z.number().int(),
    patients: z.number().int(),
  }),
  validation: z
    .looseObject({
      split: z.string(),
      imageAUC: metric,
      imageSensitivity: metric,
      imageSpecificity: metric,
      lesionSensitivityAt1FP: metric,
      pixelF1: metric,
      lesionIoU: metric,
      lesionDice: metric,
      images: z.number().int(),
    })
    .nullable(),
  thresholds: z.object({ image: z.number().min(0).max(1), finding: z.number().min(0).max(1) }),
  weights: z.object({
    file: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    dtype: z.enum(['float32', 'float16']),
    bytes: z.number().int().nonnegative(),
  }),
  notes: z.string().optional(),
}) satisfies z.ZodType<ModelCard>;
