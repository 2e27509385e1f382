/**
 * COCO object-detection annotations (`_annotations.coco.json`) as the CBIS-DDSM 800x800 copies
 * ship them: images by file name, boxes as [x, y, width, height] in the image's own pixel frame.
 */
import { z } from 'zod';

const COCO_SCHEMA = z.object({
  images: z.array(
    z.object({
      id: z.number(),
      file_name: z.string(),
      width: z.number().positive(),
      height: z.number().positive(),
    }),
  ),
  annotations: z.array(
    z.object({
      id: z.number(),
      image_id: z.number(),
      category_id: z.number(),
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    }),
  ),
  categories: z.array(z.object({ id: z.number(), name: z.string() })),
});

/** A box in the file's own pixel frame (x to the right, y down). */
export interface CocoBox {
  x: number;
  y: number;
  width: number;
  height: number;
  category: string;
}

export interface CocoImage {
  fileName: string;
  width: number;
  height: number;
  boxes: CocoBox[];
  /** Boxes that do not fit the image, one line each; the image is refused when any. */
  problems: string[];
}

/** A COCO file that cannot be used at all. */
export class CocoAnnotationsError extends Error {
  override readonly name = 'CocoAnnotationsError';
}

/**
 * Parses and checks a COCO file. A box must have a positive size and lie inside its image (half a
 * pixel of rounding allowed); a box naming an unknown image is a problem of the file.
 *
 * @throws CocoAnnotationsError for text that is not JSON or not COCO-shaped.
 */
export function parseCocoBoxes(text: string): Map<string, CocoImage> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CocoAnnotationsError(`not JSON (${(error as Error).message})`);
  }
  const parsed = COCO_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CocoAnnotationsError(
      `not COCO annotations: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const categories = new Map(parsed.data.categories.map((c) => [c.id, c.name]));
  const byId = new Map<number, CocoImage>();
  const byName = new Map<string, CocoImage>();
  for (const image of parsed.data.images) {
    const entry: CocoImage = {
      fileName: image.file_name,
      width: image.width,
      height: image.height,
      boxes: [],
      problems: [],
    };
    byId.set(image.id, entry);
    byName.set(image.file_name, entry);
  }
  for (const annotation of parsed.data.annotations) {
    const image = byId.get(annotation.image_id);
    if (!image)
      throw new CocoAnnotationsError(
        `annotation ${annotation.id} names image id ${annotation.image_id}, which is not listed`,
      );
    const [x, y, width, height] = annotation.bbox;
    const slack = 0.5;
    if (!(width > 0 && height > 0)) {
      image.problems.push(`box ${annotation.id} has no area (${width} x ${height})`);
    } else if (
      x < -slack ||
      y < -slack ||
      x + width > image.width + slack ||
      y + height > image.height + slack
    ) {
      image.problems.push(
        `box ${annotation.id} [${[x, y, width, height].map((v) => v.toFixed(1)).join(', ')}] lies outside the ${image.width}x${image.height} image`,
      );
    } else {
      image.boxes.push({
        x,
        y,
        width,
        height,
        category: categories.get(annotation.category_id) ?? String(annotation.category_id),
      });
    }
  }
  return byName;
}
