import { describe, expect, it } from 'vitest';
import { displayValue, modalityRange, renderDisplay } from '../../main/imaging/display.js';
import { lookup, type LookupTable } from '../../main/imaging/lut.js';
import { applyModality } from '../../main/imaging/modality.js';
import {
  applyVoi,
  parseVoiLutFunction,
  selectVoi,
  windowLinear,
  windowLinearExact,
  windowSigmoid,
  type VoiCandidates,
} from '../../main/imaging/voi.js';

describe('window functions (PS3.3 C.11.2.1)', () => {
  it('LINEAR follows the C.11.2.1.2.1 formula including its half-pixel offset', () => {
    // c = 2048, w = 4096: black at or below 2047.5 - 2047.5 = 0, white above 4095.
    expect(windowLinear(0, 2048, 4096)).toBe(0);
    expect(windowLinear(4096, 2048, 4096)).toBe(1);
    expect(windowLinear(2047.5, 2048, 4096)).toBeCloseTo(0.5, 12);
    expect(windowLinear(1000, 2048, 4096)).toBeCloseTo((1000 - 2047.5) / 4095 + 0.5, 12);
    // Width 1 is a threshold at c - 0.5.
    expect(windowLinear(99.5, 100, 1)).toBe(0);
    expect(windowLinear(99.6, 100, 1)).toBe(1);
  });

  it('LINEAR_EXACT has no offset', () => {
    expect(windowLinearExact(50, 100, 100)).toBe(0);
    expect(windowLinearExact(150, 100, 100)).toBe(1);
    expect(windowLinearExact(125, 100, 100)).toBeCloseTo(0.75, 12);
    expect(windowLinearExact(100, 100, 100)).toBe(0.5);
  });

  it('SIGMOID is 1 / (1 + exp(-4 (x - c) / w))', () => {
    expect(windowSigmoid(100, 100, 50)).toBe(0.5);
    expect(windowSigmoid(125, 100, 50)).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(windowSigmoid(0, 100, 50)).toBeLessThan(0.001);
  });

  it('parses VOI LUT Function with LINEAR as the default', () => {
    expect(parseVoiLutFunction('SIGMOID ')).toBe('SIGMOID');
    expect(parseVoiLutFunction('linear_exact')).toBe('LINEAR_EXACT');
    expect(parseVoiLutFunction('FOO')).toBe('LINEAR');
    expect(parseVoiLutFunction(undefined)).toBe('LINEAR');
  });
});

describe('lookup tables', () => {
  const lut: LookupTable = { firstMapped: -2, bitsPerEntry: 8, data: Uint16Array.from([10, 20, 30, 255]) };

  it('index from the first mapped value and clamp outside', () => {
    expect(lookup(lut, -2)).toBe(10);
    expect(lookup(lut, 0)).toBe(30);
    expect(lookup(lut, -100)).toBe(10);
    expect(lookup(lut, 100)).toBe(255);
  });

  it('scale VOI LUT output by the declared bits per entry', () => {
    expect(applyVoi(1, { kind: 'lut', lut, source: 'lut' })).toBe(1);
    expect(applyVoi(-1, { kind: 'lut', lut, source: 'lut' })).toBeCloseTo(20 / 255, 12);
    const wide = { ...lut, bitsPerEntry: 12 };
    expect(applyVoi(1, { kind: 'lut', lut: wide, source: 'lut' })).toBeCloseTo(255 / 4095, 12);
  });

  it('applies a modality LUT or a rescale', () => {
    expect(applyModality(-1, { kind: 'lut', lut })).toBe(20);
    expect(applyModality(10, { kind: 'rescale', slope: 2, intercept: -5 })).toBe(15);
    expect(modalityRange({ min: 0, max: 10 }, { kind: 'rescale', slope: -1, intercept: 0 })).toEqual({
      min: -10,
      max: 0,
    });
    expect(modalityRange({ min: -2, max: 1 }, { kind: 'lut', lut })).toEqual({ min: 10, max: 255 });
  });
});

describe('VOI selection', () => {
  const lut: LookupTable = { firstMapped: 0, bitsPerEntry: 8, data: Uint16Array.from([0, 255]) };
  const both: VoiCandidates = {
    windows: [
      { center: 10, width: 20 },
      { center: 5, width: 2 },
    ],
    voiLutFunction: 'SIGMOID',
    voiLuts: [lut],
  };
  const range = { min: 0, max: 100 };

  it('auto prefers the VOI LUT, then the window, then min/max', () => {
    expect(selectVoi(both, {}, range)).toMatchObject({ kind: 'lut', source: 'lut' });
    expect(selectVoi({ ...both, voiLuts: [] }, {}, range)).toMatchObject({
      kind: 'window',
      center: 10,
      width: 20,
      function: 'SIGMOID',
      source: 'window',
    });
    expect(selectVoi({ windows: [], voiLuts: [], voiLutFunction: 'LINEAR' }, {}, range)).toMatchObject({
      kind: 'window',
      center: 50,
      width: 100,
      function: 'LINEAR_EXACT',
      source: 'minmax',
    });
  });

  it('honours the preferred source and the index, and an override beats both', () => {
    expect(selectVoi(both, { voiSource: 'window' }, range)).toMatchObject({ kind: 'window', center: 10 });
    expect(selectVoi(both, { voiSource: 'window', voiIndex: 1 }, range)).toMatchObject({
      center: 5,
      width: 2,
    });
    expect(selectVoi({ ...both, windows: [] }, { voiSource: 'window' }, range)).toMatchObject({
      kind: 'lut',
    });
    expect(selectVoi(both, { window: { center: 1, width: 2 }, voiSource: 'lut' }, range)).toEqual({
      kind: 'window',
      center: 1,
      width: 2,
      function: 'SIGMOID',
      source: 'override',
    });
    expect(
      selectVoi(both, { window: { center: 1, width: 2 }, voiLutFunction: 'LINEAR' }, range),
    ).toMatchObject({
      function: 'LINEAR',
    });
  });
});

describe('renderDisplay', () => {
  it('applies modality, then VOI, then MONOCHROME1 inversion', () => {
    const stored = Int16Array.from([-10, 0, 5, 10]);
    const pipeline = {
      modality: { kind: 'rescale', slope: 2, intercept: 10 } as const,
      voi: { kind: 'window', center: 20, width: 41, function: 'LINEAR', source: 'window' } as const,
      invert: false,
    };
    // modality values -10, 10, 20, 30
    const expected = [-10, 10, 20, 30].map((x) => Math.round(255 * windowLinear(x, 20, 41)));
    expect(Array.from(renderDisplay(stored, { min: -10, max: 10 }, pipeline))).toEqual(expected);
    const inverted = renderDisplay(stored, { min: -10, max: 10 }, { ...pipeline, invert: true });
    expect(Array.from(inverted)).toEqual(expected.map((v) => 255 - v));
    expect(displayValue(5, pipeline)).toBe(expected[2]);
  });

  it('evaluates float images per pixel', () => {
    const stored = Float32Array.from([0, 0.5, 1]);
    const voi = {
      kind: 'window',
      center: 0.5,
      width: 1,
      function: 'LINEAR_EXACT',
      source: 'override',
    } as const;
    const out = renderDisplay(
      stored,
      { min: 0, max: 1 },
      { modality: { kind: 'rescale', slope: 1, intercept: 0 }, voi, invert: false },
    );
    expect(Array.from(out)).toEqual([0, 128, 255]);
  });
});
