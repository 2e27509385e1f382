import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../main/evaluation/bootstrap.js';
import {
  CROP_DEFAULTS,
  mirrorColumns,
  prepareSample,
  sampleBatch,
  sampleCrop,
} from '../../main/training/batchSampler.js';

/** A scan whose bright blobs are exactly the mask, so any mismatch between the two shows. */
function blobSample(rows = 300, columns = 260) {
  const scan = new Uint8Array(rows * columns).fill(0);
  const mask = new Uint8Array(rows * columns);
  for (let r = 20; r < 280; r++) for (let c = 0; c < 200; c++) scan[r * columns + c] = 80; // breast
  for (const [cr, cc, radius] of [
    [100, 80, 18],
    [200, 150, 12],
  ] as const) {
    for (let r = cr - radius; r <= cr + radius; r++) {
      for (let c = cc - radius; c <= cc + radius; c++) {
        if ((r - cr) ** 2 + (c - cc) ** 2 <= radius * radius) {
          scan[r * columns + c] = 240;
          mask[r * columns + c] = 255;
        }
      }
    }
  }
  return prepareSample({ rows, columns, scan, mask });
}

describe('prepareSample', () => {
  it('keeps the label only inside the breast: a box past the skin line and a mark on a film label are not positives', () => {
    const rows = 300;
    const columns = 260;
    const scan = new Uint8Array(rows * columns);
    const mask = new Uint8Array(rows * columns);
    // The breast: tissue at 80 against the left edge; a bright film label far from it, top right.
    for (let r = 20; r < 280; r++) for (let c = 0; c < 150; c++) scan[r * columns + c] = 80;
    for (let r = 10; r < 30; r++) for (let c = 200; c < 250; c++) scan[r * columns + c] = 250;
    // A label box straddling the skin line (columns 130-169), and a mark on the film label.
    for (let r = 100; r < 120; r++) for (let c = 130; c < 170; c++) mask[r * columns + c] = 255;
    for (let r = 12; r < 28; r++) for (let c = 205; c < 245; c++) mask[r * columns + c] = 255;
    const prepared = prepareSample({ rows, columns, scan, mask });
    const set = (r: number, c: number) => prepared.label.window(r, c, 1)[0]! > 0;
    // Inside the tissue the label stays; past the skin line and on the film label it is gone.
    expect(set(110, 140)).toBe(true);
    expect(set(110, 165)).toBe(false);
    expect(set(20, 220)).toBe(false);
    for (let k = 0; k < prepared.label.count; k++) expect(scan[prepared.label.pixelAt(k)]).toBe(80);
    expect(prepared.label.count).toBeGreaterThan(15 * 20);
    expect(prepared.label.count).toBeLessThan(25 * 20);
  });
});

describe('sampleCrop', () => {
  // 300 px samples at 0.2 mm; the network sees 0.6 mm, so a 64 px crop covers 192 sample pixels.
  const options = {
    ...CROP_DEFAULTS,
    size: 64,
    sampleSpacingMm: 0.2,
    modelSpacingMm: 0.6,
    intensityJitter: 0,
  };

  it('transforms scan and mask identically through crop, resize and mirroring', () => {
    const sample = blobSample();
    const random = seededRandom(5);
    let checkedPositives = 0;
    for (let i = 0; i < 40; i++) {
      const { image, label } = sampleCrop(sample, options, random, i % 2 === 0);
      let disagreements = 0;
      for (let p = 0; p < image.length; p++) {
        const pixel = image[p]! * 255 + 127;
        if (label[p] === 1) checkedPositives++;
        // Away from blob edges, bright pixels are exactly the labelled ones.
        if (pixel > 200 && label[p] !== 1) disagreements++;
        if (pixel < 120 && label[p] !== 0) disagreements++;
      }
      expect(disagreements).toBe(0);
    }
    expect(checkedPositives).toBeGreaterThan(1000);
  });

  it('crops around lesions when asked', () => {
    const sample = blobSample();
    const random = seededRandom(9);
    for (let i = 0; i < 20; i++) {
      const { label } = sampleCrop(sample, options, random, true);
      expect(label.some((v) => v === 1)).toBe(true);
    }
  });

  it('normalises as (x - 127) / 255', () => {
    const sample = prepareSample({
      rows: 300,
      columns: 300,
      scan: new Uint8Array(90000).fill(127),
      mask: new Uint8Array(90000),
    });
    const { image } = sampleCrop(sample, options, seededRandom(1), false);
    expect(Math.max(...image.map(Math.abs))).toBeLessThan(1e-6);
  });
});

describe('mirrorColumns', () => {
  it('mirrors left-right only', () => {
    const square = Uint8Array.from([1, 2, 3, 4]); // [[1,2],[3,4]]
    expect([...mirrorColumns(square, 2)]).toEqual([2, 1, 4, 3]);
  });
});

describe('augmentation', () => {
  // A sample whose top half is bright (where the pectoral muscle and the axilla are on an MLO):
  // no crop may ever show it at the bottom, which vertical flips and rotations would.
  const rows = 400;
  const columns = 300;
  const scan = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < 200; c++) scan[r * columns + c] = r < 200 ? 220 : 60;
  const sample = prepareSample({ rows, columns, scan, mask: new Uint8Array(rows * columns) });
  const options = { ...CROP_DEFAULTS, size: 32, sampleSpacingMm: 0.2, modelSpacingMm: 0.4 };

  it('never turns the image upside down or sideways', () => {
    const random = seededRandom(4);
    for (let i = 0; i < 60; i++) {
      const { image } = sampleCrop(sample, options, random, false);
      const rowMean = (r: number) => image.subarray(r * 32, (r + 1) * 32).reduce((a, b) => a + b, 0) / 32;
      let top = 0;
      let bottom = 0;
      for (let r = 0; r < 8; r++) top += rowMean(r);
      for (let r = 24; r < 32; r++) bottom += rowMean(r);
      expect(top).toBeGreaterThanOrEqual(bottom - 1e-6);
    }
  });

  it('jitters contrast and brightness by at most the configured amount', () => {
    const flat = prepareSample({
      rows: 100,
      columns: 100,
      scan: new Uint8Array(10000).fill(200),
      mask: new Uint8Array(10000),
    });
    const random = seededRandom(6);
    const base = (200 - 127) / 255;
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const v = sampleCrop(flat, { ...options, intensityJitter: 0.1 }, random, false).image[500]!;
      expect(Math.abs(v - base)).toBeLessThanOrEqual(base * 0.1 + 0.05 + 1e-6);
      seen.add(Math.round(v * 1e4));
    }
    expect(seen.size).toBeGreaterThan(20);
  });
});

describe('sampleBatch', () => {
  it('fills the ROI share of the batch with lesion crops', () => {
    const normal = prepareSample({
      rows: 100,
      columns: 100,
      scan: new Uint8Array(10000).fill(90),
      mask: new Uint8Array(10000),
    });
    const { labels } = sampleBatch(
      [normal, blobSample()],
      4,
      0.5,
      { ...CROP_DEFAULTS, size: 32, sampleSpacingMm: 0.2, modelSpacingMm: 0.4 },
      seededRandom(3),
    );
    const perExample = [0, 1, 2, 3].map((b) =>
      labels.subarray(b * 1024, (b + 1) * 1024).some((v) => v === 1),
    );
    expect(perExample.slice(0, 2)).toEqual([true, true]);
  });
});
