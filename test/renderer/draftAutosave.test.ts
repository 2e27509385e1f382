import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Report, ReportEdit } from '../../main/api/reports.js';
import { DraftAutosave, type SaveState } from '../../renderer/reports/DraftAutosave.js';

const saved = (edit: ReportEdit): Report => ({ ...edit }) as unknown as Report;

describe('DraftAutosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves the merged edits once, after the quiet time', async () => {
    const save = vi.fn(async (edit: ReportEdit) => saved(edit));
    const states: SaveState[] = [];
    const saver = new DraftAutosave(save, 500, (s) => states.push(s.state));
    saver.edit({ biRads: '4A' });
    await vi.advanceTimersByTimeAsync(300);
    saver.edit({ impression: 'x' });
    saver.edit({ biRads: '4B' });
    await vi.advanceTimersByTimeAsync(499);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith({ biRads: '4B', impression: 'x' });
    expect(saver.status.state).toBe('saved');
    expect(states).toEqual(['pending', 'pending', 'pending', 'saving', 'saved']);
  });

  it('flush sends what is pending now, one request at a time, and a failure keeps the edits for the next try', async () => {
    let fail = true;
    let calls = 0;
    const save = vi.fn(async (edit: ReportEdit) => {
      calls++;
      await Promise.resolve();
      if (fail) throw new Error('report 1 is final; it is read-only');
      return saved(edit);
    });
    const saver = new DraftAutosave(save, 500, () => undefined);
    saver.edit({ density: 'c' });
    await expect(saver.flush()).rejects.toThrow('read-only');
    expect(saver.status).toMatchObject({ state: 'error', error: 'report 1 is final; it is read-only' });
    fail = false;
    saver.edit({ reader: 'Dr A' });
    const [first, second] = await Promise.all([saver.flush(), saver.flush()]);
    expect(calls).toBe(2);
    expect(save).toHaveBeenLastCalledWith({ density: 'c', reader: 'Dr A' });
    expect(first).toEqual(second);
    expect(saver.status).toMatchObject({ state: 'saved', error: null });
  });

  it('dispose sends pending edits instead of dropping them', async () => {
    const save = vi.fn(async (edit: ReportEdit) => saved(edit));
    const saver = new DraftAutosave(save, 500, () => undefined);
    saver.edit({ impression: 'last words' });
    saver.dispose();
    await vi.runAllTimersAsync();
    expect(save).toHaveBeenCalledWith({ impression: 'last words' });
  });
});
