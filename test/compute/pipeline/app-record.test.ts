import { describe, expect, it } from 'vitest';
import { keepRecordFresh } from '../../../compute/pipeline/app-record';

const delay = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('keepRecordFresh (a running run writes its record again)', () => {
  it('writes every turn, one write at a time; stopping waits for the write in progress and starts none after', async () => {
    const events: string[] = [];
    let writing = 0;
    const stop = keepRecordFresh(async () => {
      writing++;
      events.push(`start ${writing}`);
      await delay(60);
      events.push(`end ${writing}`);
      writing--;
    }, 20);
    // a write in progress when the run ends: its record is written only after that one
    while (!events.includes('start 1')) await delay(5);
    await delay(30);
    expect(events.at(-1)).toBe('start 1');
    await stop();
    events.push('stopped');
    await delay(100);
    expect(events).toEqual(['start 1', 'end 1', 'stopped']);
  });

  it('skips the turns that come while a write is in progress: never two writes at once', async () => {
    let calls = 0;
    let writing = 0;
    let most = 0;
    const stop = keepRecordFresh(async () => {
      calls++;
      most = Math.max(most, ++writing);
      await delay(100);
      writing--;
    }, 10);
    await delay(250);
    await stop();
    // 25 turns, but each write takes 10 of them
    expect(most).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('a write that fails is tried again at the next turn', async () => {
    let calls = 0;
    const stop = keepRecordFresh(async () => {
      calls++;
      if (calls === 1) throw new Error('ENOSPC');
    }, 10);
    while (calls < 3) await delay(5);
    await stop();
    expect(calls).toBeGreaterThanOrEqual(3);
  });
});
