import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { FINDING_TYPES } from '../api/annotations.js';
import { MEMBER_ROLES, type ModelCard } from '../api/models.js';
import { MEMBER_NETWORK_FIELDS, MODEL_TOPOLOGY_FILE } from '../api/modelMembers.js';

const metric = z.number();

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');

/** A file inside the model folder: relative, no '..', no backslashes. */
const folderFile = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a relative path inside the model folder')
  .refine((path) => !path.split('/').includes('..'), 'a relative path inside the model folder');

const validation = z.looseObject({
  split: z.string(),
  // Null where undefined: a set with no normal images (CBIS-DDSM).
  imageAUC: metric.nullable(),
  imageSensitivity: metric,
  imageSpecificity: metric.nullable(),
  lesionSensitivityAt1FP: metric,
  pixelF1: metric,
  lesionIoU: metric,
  lesionDice: metric,
  images: z.number().int(),
});

const network = {
  architecture: z.string(),
  widthMultiplier: z.number().positive(),
  inputPixelSpacingMm: z.number().positive(),
  normalisation: z.object({
    offset: z.number(),
    scale: z.number().positive(),
    perImage: z.literal('breast').optional(),
  }),
  weights: z.object({
    file: z.string(),
    sha256,
    dtype: z.enum(['float32', 'float16']),
    bytes: z.number().int().nonnegative(),
  }),
  topologySha256: sha256.optional(),
};

const member = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  role: z.enum(MEMBER_ROLES as ['mass', 'calcification', 'any']),
  topology: folderFile,
  ...network,
  weights: network.weights.extend({ file: folderFile }),
  validation: validation.nullable().optional(),
});

/** Runtime check of a card read from disk; the error names the bad field. */
export const modelCardSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
    parentId: z.string().nullable(),
    createdAt: z.string(),
    ...network,
    trainingData: z.looseObject({
      description: z.string(),
      images: z.number().int(),
      patients: z.number().int(),
    }),
    validation: validation.nullable(),
    externalValidation: validation.nullable().optional(),
    thresholds: z.object({ image: z.number().min(0).max(1), finding: z.number().min(0).max(1) }),
    members: z.array(member).min(2, 'a multi-member model has at least two members').optional(),
    combination: z.literal('max').optional(),
    detects: z.array(z.enum(FINDING_TYPES)).min(1, 'name at least one finding type').optional(),
    testTimeMirror: z.boolean().optional(),
    notes: z.string().optional(),
  })
  .superRefine((card, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    if (!card.members) {
      if (card.combination) issue(['combination'], 'only a card with members combines maps');
      return;
    }
    if (!card.combination) issue(['combination'], "a card with members says how maps combine ('max')");
    const seen = { name: new Set<string>(), file: new Set<string>() };
    card.members.forEach((m, i) => {
      if (seen.name.has(m.name)) issue(['members', i, 'name'], `${m.name} is named twice`);
      seen.name.add(m.name);
      for (const file of [m.topology, m.weights.file]) {
        if (seen.file.has(file)) issue(['members', i], `${file} is used twice`);
        seen.file.add(file);
      }
    });
    const lead = card.members[0]!;
    if (lead.topology !== MODEL_TOPOLOGY_FILE)
      issue(['members', 0, 'topology'], `the first member's topology is ${MODEL_TOPOLOGY_FILE}`);
    for (const field of MEMBER_NETWORK_FIELDS)
      if (!isDeepStrictEqual(card[field], lead[field]))
        issue([field], `differs from the first member's (${lead.name}); the top level repeats it`);
  }) satisfies z.ZodType<ModelCard>;
