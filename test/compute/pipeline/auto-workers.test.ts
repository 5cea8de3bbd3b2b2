import { describe, expect, it } from 'vitest';
import {
  autoWorkers,
  MIN_ROWS_READ,
  ROWS_READ_PER_ROW_OUT,
} from '../../../compute/pipeline/auto-workers';

describe('autoWorkers', () => {
  // the scale benchmark's runs on 2 cores (README, Performance): 2 workers were faster at 10M x 10k
  // (1.4 against 1.8 s) and 10M x 100k (1.9 against 2.1 s), slower or equal at the others
  it.each([
    [10_000_000, 10_000, 2],
    [10_177_867, 100_000, 2],
    [10_000_000, 1_000_000, 1],
    [3_000_000, 100_000, 1],
    [1_000_000, 100_000, 1],
    [1_000_000, 10_000, 1],
  ])(
    'gives a run reading %d photometric rows for %d spec-z rows %d worker(s) on 2 cores',
    (read, out, n) => {
      expect(autoWorkers({ photometricRows: read, outputRows: out }, 2)).toBe(n);
    },
  );

  it('asks as many more rows read per row written as the usual count has workers', () => {
    const usual = 7; // 8 cores
    const out = 100_000;
    const edge = ROWS_READ_PER_ROW_OUT * usual * out;
    expect(autoWorkers({ photometricRows: edge - 1, outputRows: out }, 8)).toBe(7);
    expect(autoWorkers({ photometricRows: edge, outputRows: out }, 8)).toBe(8);
  });

  it('keeps the usual count below the smallest read that pays for a thread', () => {
    const out = 100;
    expect(autoWorkers({ photometricRows: MIN_ROWS_READ - 1, outputRows: out }, 2)).toBe(1);
    expect(autoWorkers({ photometricRows: MIN_ROWS_READ, outputRows: out }, 2)).toBe(2);
  });

  it('keeps the usual count when a size is unknown, and one worker on one core', () => {
    expect(autoWorkers({ photometricRows: NaN, outputRows: 10 }, 4)).toBe(3);
    expect(autoWorkers({ photometricRows: 1e9, outputRows: NaN }, 4)).toBe(3);
    expect(autoWorkers({ photometricRows: 1e9, outputRows: 10 }, 1)).toBe(1);
  });
});
