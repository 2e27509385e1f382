import { describe, expect, it } from 'vitest';
import {
  defaultDisplayThreshold,
  describeAgainstOperatingPoint,
  operatingPointSide,
} from '../../renderer/viewer/ai/operatingPoint.js';

describe('operatingPointSide', () => {
  it('calls a score at or above the card threshold positive, below it negative', () => {
    expect(operatingPointSide(0.97, 0.5)).toBe('above');
    expect(operatingPointSide(0.5, 0.5)).toBe('above');
    expect(operatingPointSide(0.49, 0.5)).toBe('below');
  });

  it('says nothing without a score or a threshold', () => {
    expect(operatingPointSide(null, 0.5)).toBeNull();
    expect(operatingPointSide(0.7, undefined)).toBeNull();
  });
});

describe('describeAgainstOperatingPoint', () => {
  it('names the side and the card threshold, or says what is missing', () => {
    expect(describeAgainstOperatingPoint(0.62, 0.5)).toBe(
      "0.62, above the model card's operating point 0.50",
    );
    expect(describeAgainstOperatingPoint(0.31, 0.45)).toBe(
      "0.31, below the model card's operating point 0.45",
    );
    expect(describeAgainstOperatingPoint(0.31, null)).toBe('0.31 (the model card gives no operating point)');
    expect(describeAgainstOperatingPoint(null, 0.5)).toBe('no score');
  });
});

describe('defaultDisplayThreshold', () => {
  it("starts the display at the card's operating point, never under its finding threshold", () => {
    // The shipped card: image 0.7241, finding 0.1334. The display started at 0.13 before.
    expect(defaultDisplayThreshold({ image: 0.7241, finding: 0.1334 })).toBe(0.7241);
    expect(defaultDisplayThreshold({ image: 0.1, finding: 0.2 })).toBe(0.2);
  });
});
