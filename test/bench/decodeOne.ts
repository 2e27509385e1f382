/**
 * Child process for decodeBench: decodes one file twice in a fresh process and prints one JSON
 * line. The first decode includes loading the codec; peak RSS is read right after it, so it is
 * this file's peak and not the sum of several.
 */
import { readFile } from 'node:fs/promises';
import { decodeImage } from '../../main/imaging/decodeImage.js';

const filePath = process.argv[2];
if (!filePath) throw new Error('usage: decodeOne.ts <file>');

const toMb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
const bytes = await readFile(filePath);
const baselineRssMb = toMb(process.memoryUsage().rss);
let start = performance.now();
const image = await decodeImage(bytes, filePath);
const coldMs = performance.now() - start;
const peakRssMb = toMb(process.resourceUsage().maxRSS * 1024);
start = performance.now();
await decodeImage(bytes, filePath);
const warmMs = performance.now() - start;

process.stdout.write(
  `${JSON.stringify({
    transferSyntax: image.transferSyntaxUid,
    rows: image.rows,
    columns: image.columns,
    fileMb: toMb(bytes.length),
    coldMs: Math.round(coldMs),
    warmMs: Math.round(warmMs),
    baselineRssMb,
    peakRssMb,
  })}\n`,
);
