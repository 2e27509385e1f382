import { describe, expect, it } from 'vitest';
import { parseMiasAnnotations } from '../../main/studies/mias/miasAnnotations.js';
import { miasCaseIdentity } from '../../main/studies/mias/miasCaseIdentity.js';

describe('parseMiasAnnotations', () => {
  it('reads the CSV, several records per image and records without a centre', () => {
    const records = parseMiasAnnotations(
      'refnum,tissue,class,severity,x,y,radius,row,note\nmdb005,F,CIRC,B,477,133,30,891,\nmdb005,F,CIRC,B,500,168,26,856,\nmdb006,F,NORM,,,,,,\nmdb216,D,CALC,M,,,,,*NOTE 3*\n',
    );
    expect(records.get('mdb005')).toHaveLength(2);
    expect(records.get('mdb005')?.[1]).toMatchObject({
      abnormalityClass: 'CIRC',
      severity: 'B',
      x: 500,
      y: 168,
      radius: 26,
    });
    expect(records.get('mdb006')?.[0]).toMatchObject({ abnormalityClass: 'NORM', x: null, severity: null });
    expect(records.get('mdb216')?.[0]).toMatchObject({
      abnormalityClass: 'CALC',
      severity: 'M',
      x: null,
      radius: null,
    });
  });

  it('reads the original Info.txt layout and ignores its prose', () => {
    const records = parseMiasAnnotations('The MIAS database\nmdb001 G CIRC B 535 425 197\nmdb003 D NORM\n');
    expect([...records.keys()]).toEqual(['mdb001', 'mdb003']);
    expect(records.get('mdb001')?.[0]).toMatchObject({ tissue: 'G', x: 535, y: 425, radius: 197 });
  });
});

describe('miasCaseIdentity', () => {
  it('pairs odd (right) and even (left) images into one patient with stable UIDs', () => {
    const right = miasCaseIdentity('mdb005');
    const left = miasCaseIdentity('mdb006');
    expect(right).toMatchObject({ patientId: 'MIAS-003', laterality: 'R' });
    expect(left).toMatchObject({ patientId: 'MIAS-003', laterality: 'L' });
    expect(left.studyUid).toBe(right.studyUid);
    expect(left.sopInstanceUid).not.toBe(right.sopInstanceUid);
    expect(miasCaseIdentity('mdb005')).toEqual(right);
    expect(right.studyUid).toMatch(/^2\.25\.\d+$/);
    expect(right.studyUid.length).toBeLessThanOrEqual(64);
  });
});
