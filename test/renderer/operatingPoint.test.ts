import { describe, expect, it } from 'vitest';
import { operatingPointSide } from '../../renderer/viewer/ai/operatingPoint.js';

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
