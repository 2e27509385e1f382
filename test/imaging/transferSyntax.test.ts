import { describe, expect, it } from 'vitest';
import {
  SUPPORTED_TRANSFER_SYNTAXES,
  describeTransferSyntax,
  getTransferSyntax,
  isSupportedTransferSyntax,
} from '../../main/imaging/transferSyntax.js';

describe('transfer syntaxes', () => {
  it('lists every syntax the pipeline decodes', () => {
    expect([...SUPPORTED_TRANSFER_SYNTAXES].sort()).toEqual(
      [
        '1.2.840.10008.1.2',
        '1.2.840.10008.1.2.1',
        '1.2.840.10008.1.2.1.98',
        '1.2.840.10008.1.2.1.99',
        '1.2.840.10008.1.2.2',
        '1.2.840.10008.1.2.4.201',
        '1.2.840.10008.1.2.4.202',
        '1.2.840.10008.1.2.4.203',
        '1.2.840.10008.1.2.4.50',
        '1.2.840.10008.1.2.4.51',
        '1.2.840.10008.1.2.4.57',
        '1.2.840.10008.1.2.4.70',
        '1.2.840.10008.1.2.4.80',
        '1.2.840.10008.1.2.4.81',
        '1.2.840.10008.1.2.4.90',
        '1.2.840.10008.1.2.4.91',
        '1.2.840.10008.1.2.5',
      ].sort(),
    );
  });

  it('accepts padded UIDs and rejects video and JPEG XL', () => {
    expect(isSupportedTransferSyntax('1.2.840.10008.1.2.4.90\0')).toBe(true);
    expect(isSupportedTransferSyntax('1.2.840.10008.1.2.1 ')).toBe(true);
    expect(isSupportedTransferSyntax('1.2.840.10008.1.2.4.100')).toBe(false);
    expect(isSupportedTransferSyntax('1.2.840.10008.1.2.4.112')).toBe(false);
    expect(isSupportedTransferSyntax('')).toBe(false);
  });

  it('knows byte order and lossiness', () => {
    expect(getTransferSyntax('1.2.840.10008.1.2.2')).toMatchObject({
      encoding: 'native',
      littleEndian: false,
    });
    expect(getTransferSyntax('1.2.840.10008.1.2.1.99')).toMatchObject({ encoding: 'native', deflated: true });
    expect(getTransferSyntax('1.2.840.10008.1.2.4.91')).toMatchObject({ encoding: 'jpeg2000', lossy: true });
    expect(getTransferSyntax('1.2.840.10008.1.2.4.90')).toMatchObject({ encoding: 'jpeg2000', lossy: false });
    expect(getTransferSyntax('1.2.840.10008.1.2.4.100')).toBeUndefined();
  });

  it('names syntaxes for messages', () => {
    expect(describeTransferSyntax('1.2.840.10008.1.2.4.100')).toBe('1.2.840.10008.1.2.4.100 (MPEG2)');
    expect(describeTransferSyntax('1.2.840.10008.1.2.4.51')).toBe(
      '1.2.840.10008.1.2.4.51 (JPEG Extended (Process 2 & 4))',
    );
    expect(describeTransferSyntax('1.2.3.4')).toBe('1.2.3.4');
  });
});
