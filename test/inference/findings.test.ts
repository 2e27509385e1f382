import { describe, expect, it } from 'vitest';
import { frocCandidates, frocCurve, sensitivityAtFalsePositives } from '../../main/evaluation/froc.js';
import { extractFindings } from '../../main/inference/findings.js';
import { findMapPeaks, imageScoreOfPeaks } from '../../main/inference/mapPeaks.js';

/** A map of Gaussian bumps (analytic truth: each bump's maximum is at its centre). */
function bumps(
  rows: number,
  columns: number,
  list: readonly { row: number; column: number; sigma: number; height: number }[],
  floor = 0,
): Float32Array {
  const map = new Float32Array(rows * columns).fill(floor);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      for (const b of list) {
        const v = b.height * Math.exp(-((r - b.row) ** 2 + (c - b.column) ** 2) / (2 * b.sigma ** 2));
        map[r * columns + c] = Math.max(map[r * columns + c]!, v);
      }
    }
  }
  return map;
}

const SPACING = 0.2;
const options = (threshold: number) => ({
  threshold,
  spacingMm: SPACING,
  areaSpacingMm: [SPACING, SPACING] as const,
  minAreaMm2: 4,
  maxFindings: 4,
});

describe('findMapPeaks', () => {
  it('puts one peak on each lesion-sized bump, strongest first, within a grid cell of its centre', () => {
    const map = bumps(300, 300, [
      { row: 80, column: 90, sigma: 15, height: 0.7 },
      { row: 210, column: 200, sigma: 20, height: 0.95 },
    ]);
    const peaks = findMapPeaks(map, 300, 300, SPACING);
    expect(peaks).toHaveLength(2);
    expect(Math.hypot(peaks[0]!.row - 210, peaks[0]!.column - 200)).toBeLessThanOrEqual(5);
    expect(Math.hypot(peaks[1]!.row - 80, peaks[1]!.column - 90)).toBeLessThanOrEqual(5);
    expect(peaks[0]!.score).toBeGreaterThan(peaks[1]!.score);
    // Smoothing at 1 mm lowers a 4 mm-sigma bump only a little.
    expect(imageScoreOfPeaks(peaks)).toBeGreaterThan(0.8);
    expect(imageScoreOfPeaks([])).toBe(0);
  });

  it('suppresses a weaker maximum closer than the suppression radius', () => {
    // 5 mm apart, radius 8 mm: one peak survives, the stronger one.
    const map = bumps(200, 200, [
      { row: 100, column: 80, sigma: 5, height: 0.9 },
      { row: 100, column: 105, sigma: 5, height: 0.6 },
    ]);
    const peaks = findMapPeaks(map, 200, 200, SPACING);
    expect(peaks).toHaveLength(1);
    expect(Math.abs(peaks[0]!.column - 80)).toBeLessThanOrEqual(5);
  });
});

describe('frocCandidates', () => {
  it('hit a lesion on a breast-wide plateau where a low-threshold component centroid misses it', () => {
    // The whole "breast" sits at 0.3 (above the old 0.1 candidate threshold); the lesion is a bump
    // near the edge, so the plateau's centroid lies far from it.
    const rows = 256;
    const columns = 256;
    const map = bumps(rows, columns, [{ row: 40, column: 40, sigma: 10, height: 0.9 }], 0.3);
    const lesion = { centerRow: 40, centerColumn: 40, radius: 25 };
    const candidates = frocCandidates(map, rows, columns, SPACING);
    const curve = frocCurve([{ findings: candidates, lesions: [lesion] }]);
    expect(sensitivityAtFalsePositives(curve, 1)).toBe(1);
    expect(candidates[0]!.score).toBeGreaterThan(0.6);
  });
});

describe('extractFindings', () => {
  it('gives a smooth bump one compact finding, outlined at half its peak, with its area in mm²', () => {
    const map = bumps(200, 200, [{ row: 100, column: 120, sigma: 12, height: 0.9 }]);
    const peaks = findMapPeaks(map, 200, 200, SPACING);
    const findings = extractFindings(map, 200, 200, peaks, options(0.3));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    // Half maximum of a Gaussian: radius sigma * sqrt(2 ln 2) = 14.1 px.
    const radius = 12 * Math.sqrt(2 * Math.log(2));
    const height = f!.bounds.bottom - f!.bounds.top + 1;
    const width = f!.bounds.right - f!.bounds.left + 1;
    expect(Math.abs(height - 2 * radius)).toBeLessThanOrEqual(2);
    expect(Math.abs(width - 2 * radius)).toBeLessThanOrEqual(2);
    expect(f!.centroidRow).toBeCloseTo(100, 0);
    expect(f!.centroidColumn).toBeCloseTo(120, 0);
    expect(f!.areaMm2).toBeCloseTo(f!.areaPixels * SPACING * SPACING);
    expect(f!.maxProbability).toBeCloseTo(0.9, 2);
    expect(f).toMatchObject({ index: 1 });
  });

  it('keeps two lesions apart on a shared plateau above threshold', () => {
    const map = bumps(
      200,
      300,
      [
        { row: 100, column: 70, sigma: 10, height: 0.95 },
        { row: 100, column: 230, sigma: 10, height: 0.85 },
      ],
      0.4,
    );
    const findings = extractFindings(map, 200, 300, findMapPeaks(map, 200, 300, SPACING), options(0.3));
    expect(findings).toHaveLength(2);
    expect(findings[0]!.centroidColumn).toBeCloseTo(70, -1);
    expect(findings[1]!.centroidColumn).toBeCloseTo(230, -1);
  });

  it('drops peaks below the threshold, caps the count, and reports unknown spacing as null area', () => {
    // Smoothing (1 mm) scales a 2 mm-sigma bump's peak by about 0.79: 0.95 -> 0.75, 0.85 -> 0.67, ...
    const list = Array.from({ length: 6 }, (_, i) => ({
      row: 60 + 120 * Math.floor(i / 3),
      column: 60 + 120 * (i % 3),
      sigma: 10,
      height: 0.95 - i * 0.1,
    }));
    const map = bumps(300, 400, list);
    const peaks = findMapPeaks(map, 300, 400, SPACING);
    const capped = extractFindings(map, 300, 400, peaks, { ...options(0.4), areaSpacingMm: null });
    expect(capped.map((f) => Math.round(f.maxProbability * 100))).toEqual([95, 85, 75, 65]);
    expect(capped.every((f) => f.areaMm2 === null)).toBe(true);
    const strict = extractFindings(map, 300, 400, peaks, { ...options(0.63), maxFindings: 10 });
    expect(strict.map((f) => Math.round(f.maxProbability * 100))).toEqual([95, 85]);
  });

  it('drops findings smaller than the minimum area', () => {
    // Half-maximum discs: sigma 10 px -> about 17 mm², sigma 25 px -> about 109 mm² (at 0.2 mm).
    const map = bumps(300, 300, [
      { row: 70, column: 70, sigma: 10, height: 0.9 },
      { row: 200, column: 200, sigma: 25, height: 0.8 },
    ]);
    const findings = extractFindings(map, 300, 300, findMapPeaks(map, 300, 300, SPACING), {
      ...options(0.3),
      minAreaMm2: 40,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.areaMm2).toBeGreaterThan(90);
    expect(findings[0]!.areaMm2).toBeLessThan(130);
  });
});
