import { decodeImageFile, type DecodedImage } from './decodeImage.js';

/** What a check-decode answers: the file's format and size, never its pixels. */
export interface DecodeCheck {
  readonly format: DecodedImage['format'];
  readonly rows: number;
  readonly columns: number;
}

/**
 * Decodes a file in full, as the viewer will (stored values and the display rendering, so the same
 * failures), and keeps only its format and size. An import proves this way that the copy it
 * stored decodes; it has no use for the pixels, and a worker answering with them sent a server's
 * thread about 41 MB per 3328 x 4084 film only to be thrown away.
 *
 * @throws ImageDecodeError as {@link decodeImageFile} does.
 */
export async function checkDecodesFile(filePath: string): Promise<DecodeCheck> {
  const { format, rows, columns } = await decodeImageFile(filePath);
  return { format, rows, columns };
}
