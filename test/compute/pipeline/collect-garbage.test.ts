import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../compute/pipeline/collect-garbage';

/** A WeakRef to an ArrayBuffer nothing else holds. */
function droppedBuffer(bytes: number): WeakRef<ArrayBuffer> {
  return new WeakRef(new ArrayBuffer(bytes));
}

describe('collectGarbage', () => {
  it('frees an ArrayBuffer nothing refers to any more', async () => {
    const ref = droppedBuffer(32 << 20);
    // a WeakRef target stays alive until the job that made it ends
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref() === undefined).toBe(true); // (not the buffer itself: a failure would print it)
  });

  it('keeps what is still referred to', async () => {
    const kept = new Uint8Array(1 << 20).fill(7);
    const ref = new WeakRef(kept.buffer);
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref() === kept.buffer).toBe(true);
    expect(kept[12345]).toBe(7);
  });
});
