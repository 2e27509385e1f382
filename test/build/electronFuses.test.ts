/**
 * The fuses electron-builder flips in the packaged Electron binary (`electronFuses` in
 * build/electron-builder.json). No Electron binary can be downloaded here, so a stand-in file
 * carries a fuse wire laid out as Electron's is (the sentinel, wire version 1, length, one byte per
 * fuse, holding Electron's defaults); electron-builder's own config mapping and @electron/fuses
 * flip it, and the wire is read back byte by byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FuseV1Config, FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { PlatformPackager } from 'app-builder-lib';
import type { FuseOptionsV1 } from 'app-builder-lib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';

/** Electron's fuse sentinel (electron/build/fuses/build_fuses.py). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The wire of an unfused Electron, in FuseV1Options order (electron/build/fuses/fuses.json5). */
const ELECTRON_DEFAULTS = '10110001';

/** A fuse's byte on the wire: ASCII '0' off, '1' on. */
const OFF = '0'.charCodeAt(0);
const ON = '1'.charCodeAt(0);

const config = JSON.parse(readFileSync(join(REPO_ROOT, 'build/electron-builder.json'), 'utf8')) as {
  electronFuses: FuseOptionsV1;
};

describe('Electron fuses at packaging', () => {
  const tempDir = useTempDir('mammo-fuses-');

  it('turn off running as Node, NODE_OPTIONS, --inspect and file:// privileges, and load only a validated app.asar', async () => {
    const binary = join(tempDir(), 'mammo-workstation');
    const before = Buffer.from(ELECTRON_DEFAULTS);
    writeFileSync(
      binary,
      Buffer.concat([
        Buffer.alloc(4096, 0x7f),
        Buffer.from(SENTINEL),
        Buffer.from([1, before.length]),
        before,
      ]),
    );
    // What electron-builder's afterPack step does with the configuration (its own, private, mapping
    // of option names to wire positions: an upgrade that changes it fails here).
    const packager = PlatformPackager.prototype as unknown as {
      generateFuseConfig(fuses: FuseOptionsV1): Promise<FuseV1Config>;
    };
    const fuseConfig = await packager.generateFuseConfig.call(null, config.electronFuses);
    expect(fuseConfig.version).toBe(FuseVersion.V1);
    await flipFuses(binary, fuseConfig);

    const bytes = readFileSync(binary);
    const wireAt = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
    const fuse = (option: FuseV1Options) => bytes[wireAt + option];
    expect(fuse(FuseV1Options.RunAsNode)).toBe(OFF);
    expect(fuse(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(OFF);
    expect(fuse(FuseV1Options.EnableNodeCliInspectArguments)).toBe(OFF);
    expect(fuse(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(OFF);
    expect(fuse(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(ON);
    expect(fuse(FuseV1Options.OnlyLoadAppFromAsar)).toBe(ON);
    // The rest of the file is untouched.
    expect(bytes.subarray(0, 4096).every((byte) => byte === 0x7f)).toBe(true);
  });
});
