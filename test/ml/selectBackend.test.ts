import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendConfigError,
  getActiveBackend,
  parseBackendPreference,
  resetBackendSelectionState,
  selectBackend,
} from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';

/** An importer for a machine without the native packages (like this one, whatever is installed). */
function withoutNative(specifier: string): Promise<unknown> {
  if (specifier.startsWith('@tensorflow/tfjs-node')) {
    return Promise.reject(new Error(`Cannot find package '${specifier}' imported from /app/x.js`));
  }
  return import(specifier);
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (m: string) => warnings.push(m) } };
}

describe('selectBackend', () => {
  afterEach(() => resetBackendSelectionState());

  it('falls back to wasm when the native packages are missing, logging each failure once', async () => {
    const { warnings, logger } = recordingLogger();
    const first = await selectBackend({ env: {}, logger, importModule: withoutNative });
    expect(first.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(first.source).toBe('default');
    expect(first.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['wasm', true],
    ]);
    expect(first.reason).toMatch(
      /tensorflow-gpu unavailable \(Cannot find package '@tensorflow\/tfjs-node-gpu'/,
    );
    expect(first.reason).toMatch(/using wasm \(SIMD/);
    expect(first.wasmTrainingKernels).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(warnings).toHaveLength(2);

    const second = await selectBackend({ env: {}, logger, importModule: withoutNative });
    expect(second.backend).toBe('wasm');
    expect(warnings).toHaveLength(2);
    expect(getActiveBackend()).toEqual(second);
  });

  it('takes MAMMO_TF_BACKEND, and the setting over it', async () => {
    const { logger } = recordingLogger();
    const fromEnv = await selectBackend({
      env: { MAMMO_TF_BACKEND: 'cpu' },
      logger,
      importModule: withoutNative,
    });
    expect([fromEnv.backend, fromEnv.source, tf.getBackend()]).toEqual(['cpu', 'env', 'cpu']);
    expect(fromEnv.attempts).toEqual([{ backend: 'cpu', ok: true }]);
    expect(fromEnv.reason).toBe('cpu requested by MAMMO_TF_BACKEND; using cpu');

    const fromSetting = await selectBackend({
      prefer: 'wasm',
      env: { MAMMO_TF_BACKEND: 'cpu' },
      logger,
      importModule: withoutNative,
    });
    expect([fromSetting.backend, fromSetting.source]).toEqual(['wasm', 'setting']);
  });

  it('falls back when the forced backend cannot load, and says so', async () => {
    const { warnings, logger } = recordingLogger();
    const selection = await selectBackend({
      env: { MAMMO_TF_BACKEND: 'tensorflow' },
      logger,
      importModule: withoutNative,
    });
    expect(selection.backend).toBe('wasm');
    expect(selection.requested).toBe('tensorflow');
    expect(selection.reason).toMatch(
      /^tensorflow requested by MAMMO_TF_BACKEND; tensorflow unavailable .*fell back; using wasm/,
    );
    expect(warnings.filter((w) => w.includes("'tensorflow'"))).toHaveLength(1);
  });

  it('reports a native package that loads but registers no backend', async () => {
    const { logger } = recordingLogger();
    const selection = await selectBackend({
      prefer: 'tensorflow',
      env: {},
      logger,
      importModule: (s) => (s === '@tensorflow/tfjs-node' ? Promise.resolve({}) : withoutNative(s)),
    });
    expect(selection.backend).toBe('wasm');
    expect(selection.attempts[0]?.error).toMatch(/registered no 'tensorflow' backend/);
  });

  it('rejects an unknown setting, naming the valid values', async () => {
    await expect(selectBackend({ env: { MAMMO_TF_BACKEND: 'webgpu' } })).rejects.toThrow(BackendConfigError);
    await expect(selectBackend({ prefer: 'fast' })).rejects.toThrow(
      /unknown TensorFlow.js backend 'fast'. Valid values: auto, tensorflow-gpu, tfjs-node-gpu, gpu, tensorflow, tfjs-node, native, wasm, cpu/,
    );
  });

  it('parses aliases, case and blanks', () => {
    expect(parseBackendPreference(' GPU ')).toBe('tensorflow-gpu');
    expect(parseBackendPreference('tfjs-node')).toBe('tensorflow');
    expect(parseBackendPreference('Wasm')).toBe('wasm');
    expect(parseBackendPreference('')).toBe('auto');
    expect(parseBackendPreference(undefined)).toBe('auto');
  });
});
