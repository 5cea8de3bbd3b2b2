/**
 * The write pass of a run reads tables of many tasks from the spill; tasks without nulls have
 * non-nullable fields (apache-arrow), tasks with nulls nullable ones. The spill and finalBatch
 * must hand the writers one all-nullable schema with every value and null kept (row 2 is dropped,
 * so the first table goes through gatherTable, whose null-free vectors are not nullable).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Table, makeVector, vectorFromArray, type Schema } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { finalBatch } from '../../../compute/pipeline/output-columns';
import { StreamingSpill } from '../../../compute/pipeline/spill';

describe('StreamingSpill + finalBatch with tables of different nullability', () => {
  it('yields one all-nullable schema; values and nulls kept; output tables concatenate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsm-spill-'));
    try {
      const spill = new StreamingSpill(join(dir, 'spill.arrows'));
      await spill.append(
        new Table({
          id_specz: makeVector(Float64Array.from([1, 2])),
          flux: makeVector(Float64Array.from([10.5, 20.5])),
        }),
      );
      await spill.append(
        new Table({
          id_specz: makeVector(Float64Array.from([3, 4])),
          flux: vectorFromArray([null, 40.5], new Float64()),
        }),
      );
      await spill.finish();
      const decisions = {
        status: Uint8Array.from([1, 0, 1, 1]),
        isTrainingSet: Uint8Array.from([1, 0, 1, 0]),
      };
      const out: Table[] = [];
      let offset = 0;
      let schema: Schema | undefined;
      for await (const t of spill.tables()) {
        out.push(finalBatch(t, offset, decisions, false, schema));
        schema ??= out[0].schema;
        offset += t.numRows;
      }
      expect(out).toHaveLength(2);
      for (const t of out) for (const f of t.schema.fields) expect(f.nullable, f.name).toBe(true);
      const all = new Table(out.flatMap((t) => t.batches));
      expect(all.schema.fields.map((f) => f.name)).toEqual(['id', 'flux', 'is_training_set']);
      expect([0, 1, 2].map((i) => all.getChild('flux')!.get(i))).toEqual([10.5, null, 40.5]);
      expect([0, 1, 2].map((i) => all.getChild('is_training_set')!.get(i))).toEqual([1, 1, 0]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
