import {
  Float64,
  Table,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { concatNullable, conformTable, nullableSchema } from '../../../compute/io/arrow-schema';

describe('arrow-schema', () => {
  const a = new Table({ x: makeVector(Float64Array.from([1, 2])) });
  const b = new Table({ x: vectorFromArray([null, 3], new Float64()) });

  it('apache-arrow marks nullability per batch (the reason for this module)', () => {
    expect(a.schema.fields[0].nullable).toBe(false);
    expect(b.schema.fields[0].nullable).toBe(true);
    expect(() => new Table([...a.batches, ...b.batches])).toThrow(/schemas must be equivalent/);
  });

  it('concatenates batches of differing nullability, keeping values and nulls', () => {
    const c = concatNullable([a, b])!;
    expect(c.schema.fields[0].nullable).toBe(true);
    const back = tableFromIPC(tableToIPC(c, 'stream'));
    expect(back.getChild('x')!.toArray().length).toBe(4);
    expect([0, 1, 2, 3].map((i) => back.getChild('x')!.get(i))).toEqual([1, 2, null, 3]);
    expect(back.getChild('x')!.nullCount).toBe(1);
  });

  it('refuses a batch with other columns, naming them', () => {
    const other = new Table({ y: vectorFromArray([1], new Float64()) });
    expect(() => conformTable(other, nullableSchema(a.schema))).toThrow(
      /\[y: Float64\].*\[x: Float64\]/,
    );
  });
});
