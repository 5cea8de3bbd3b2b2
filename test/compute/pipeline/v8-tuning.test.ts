import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { tuneV8 } from '../../../compute/pipeline/v8-tuning';

/**
 * The young generation a new worker thread grows to under allocation: V8's new space is two
 * semi-spaces (16 MB each by default on 64-bit hosts, 32 MB together).
 */
function workerNewSpaceBytes(): Promise<number> {
  const code = `
    const v8 = require('node:v8');
    let kept = [];
    for (let i = 0; i < 2e6; i++) kept.push({ i });
    kept = null;
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    require('node:worker_threads').parentPort.postMessage(space.space_size);`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (bytes: number) => {
      void worker.terminate();
      resolve(bytes);
    });
    worker.once('error', reject);
  });
}

describe('tuneV8', () => {
  it('gives worker threads started after it 4 MB semi-spaces, as the tsm command does', async () => {
    tuneV8();
    expect(await workerNewSpaceBytes()).toBeLessThanOrEqual(2 * 4 * 1024 * 1024);
  });
});
