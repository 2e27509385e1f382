import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexOfFile, sha256HexYielding } from '../../main/common/sha256.js';

// Test vectors of FIPS 180-2, appendix B (SHA-256): "abc" and one million 'a'.
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';
const millionA = new Uint8Array(1_000_000).fill(0x61);

describe('sha256', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sha256-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('gives the FIPS 180-2 digests in one go, in chunks and from a file', async () => {
    expect(sha256Hex('abc')).toBe(ABC);
    expect(await sha256HexYielding(new TextEncoder().encode('abc'))).toBe(ABC);
    // Chunks that do not divide the message, and an empty tail.
    expect(await sha256HexYielding(millionA, 4093)).toBe(MILLION_A);
    expect(await sha256HexYielding(millionA, 250_000)).toBe(MILLION_A);
    expect(await sha256HexYielding(new Uint8Array(0))).toBe(sha256Hex(new Uint8Array(0)));
    const file = join(folder, 'a.bin');
    writeFileSync(file, millionA);
    expect(await sha256HexOfFile(file)).toBe(MILLION_A);
  });

  it('lets the event loop run between chunks of a large buffer', async () => {
    // A digest computed in one synchronous call resolves before any setImmediate callback runs.
    const immediate = new Promise<boolean>((resolve) => setImmediate(() => resolve(true)));
    let immediateFirst = false;
    void immediate.then(() => (immediateFirst = true));
    const digest = await sha256HexYielding(millionA, 100_000);
    expect(digest).toBe(MILLION_A);
    expect(immediateFirst).toBe(true);
  });
});
