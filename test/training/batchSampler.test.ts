import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../main/evaluation/bootstrap.js';
import {
  CROP_DEFAULTS,
  orient,
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

describe('sampleCrop', () => {
  const options = { ...CROP_DEFAULTS, size: 64 };

  it('transforms scan and mask identically through crop, resize, flips and rotations', () => {
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
      rows: 100,
      columns: 100,
      scan: new Uint8Array(10000).fill(127),
      mask: new Uint8Array(10000),
    });
    const { image } = sampleCrop(sample, options, seededRandom(1), false);
    expect(Math.max(...image.map(Math.abs))).toBeLessThan(1e-6);
  });
});

describe('orient', () => {
  it('rotates clockwise by quarter turns and flips', () => {
    const square = Uint8Array.from([1, 2, 3, 4]); // [[1,2],[3,4]]
    expect([...orient(square, 2, false, false, 1)]).toEqual([3, 1, 4, 2]);
    expect([...orient(square, 2, false, true, 0)]).toEqual([2, 1, 4, 3]);
    expect([...orient(square, 2, true, false, 0)]).toEqual([3, 4, 1, 2]);
    expect([...orient(square, 2, false, false, 4 % 4)]).toEqual([1, 2, 3, 4]);
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
      { ...CROP_DEFAULTS, size: 32 },
      seededRandom(3),
    );
    const perExample = [0, 1, 2, 3].map((b) =>
      labels.subarray(b * 1024, (b + 1) * 1024).some((v) => v === 1),
    );
    expect(perExample.slice(0, 2)).toEqual([true, true]);
  });
});
