/**
 * Masks as one bit a pixel (1 where the first channel is non-zero), read from the PNGs the editor
 * hands the page and the files the back end saves, so journeys compare masks pixel for pixel.
 */
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import { decode } from 'fast-png';
import type { EditorMask } from '../../../renderer/common/debugProbeTypes.js';

function bitsOf(png: Uint8Array, columns?: number, rows?: number): Uint8Array {
  const image = decode(png);
  if (columns !== undefined && rows !== undefined)
    expect([image.width, image.height]).toEqual([columns, rows]);
  return Uint8Array.from({ length: image.width * image.height }, (_, i) =>
    image.data[i * image.channels]! > 0 ? 1 : 0,
  );
}

/** A base64 mask PNG of the given size (the editor's, a draft's, a saved version's). */
export function maskBits(maskPng: string, columns: number, rows: number): Uint8Array {
  return bitsOf(Buffer.from(maskPng, 'base64'), columns, rows);
}

/** The editor's mask as the page reports it. */
export function editorMaskBits(mask: EditorMask): Uint8Array {
  return maskBits(mask.maskPng, mask.columns, mask.rows);
}

/** A mask PNG file on disk (a saved annotation's mask, a training sample's channel read elsewhere). */
export function maskFileBits(path: string): Uint8Array {
  return bitsOf(readFileSync(path));
}

export function countOn(bits: Uint8Array): number {
  return bits.reduce((n, v) => n + v, 0);
}
