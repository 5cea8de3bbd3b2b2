/**
 * StreamingSpill gives back what was appended, table by table and in order, while it reads the
 * next table ahead; a caller that stops early leaves no read running, and a spill file cut short
 * is named in the error.
 */
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamingSpill } from '../../../compute/pipeline/spill';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-spill-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tableOf(first: number, rows: number): Table {
  return new Table({
    id: makeVector(Float64Array.from({ length: rows }, (_, i) => first + i)),
  });
}

async function spillOf(sizes: number[]): Promise<StreamingSpill> {
  const spill = new StreamingSpill(join(dir, 'rows.partial'));
  let first = 0;
  for (const rows of sizes) {
    await spill.append(tableOf(first, rows));
    first += rows;
  }
  await spill.finish();
  return spill;
}

describe('StreamingSpill.tables', () => {
  it('gives back every non-empty table in order with its values', async () => {
    const sizes = [3, 0, 5000, 1, 0, 250];
    const spill = await spillOf(sizes);
    expect(spill.rows).toBe(5254);
    expect(spill.tableRows).toEqual(sizes);
    const ids: number[] = [];
    const lengths: number[] = [];
    for await (const t of spill.tables()) {
      lengths.push(t.numRows);
      ids.push(...(t.getChild('id')!.toArray() as Float64Array));
    }
    expect(lengths).toEqual([3, 5000, 1, 250]);
    expect(ids).toEqual(Array.from({ length: 5254 }, (_, i) => i));
  });

  it('stops cleanly when the caller stops early (the read ahead ends first)', async () => {
    const spill = await spillOf([10, 20, 30, 40]);
    const seen: number[] = [];
    for await (const t of spill.tables()) {
      seen.push(t.numRows);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([10, 20]);
    await spill.remove();
  });

  it('names the spill file when it was cut short', async () => {
    const spill = await spillOf([100, 100]);
    await truncate(spill.path, 900);
    const read = async () => {
      for await (const t of spill.tables()) expect(t.numRows).toBe(100);
    };
    await expect(read()).rejects.toThrow(`${spill.path}: the spill file is truncated`);
  });
});
