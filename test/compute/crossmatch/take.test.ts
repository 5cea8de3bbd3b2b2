import {
  Float32,
  Float64,
  Int16,
  Int64,
  Int8,
  Uint32,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { takeRows } from '../../../compute/crossmatch/take';
import { mulberry32 } from './sky';

describe('takeRows', () => {
  it('equals Vector.get per index (several chunks, nulls, -1 = null) for every fixed width', () => {
    const rand = mulberry32(3);
    const kinds: [DataType, () => unknown][] = [
      [new Float64(), () => (rand() - 0.5) * 1e6],
      [new Float32(), () => Math.fround(rand() * 100)],
      [new Int64(), () => BigInt(Math.floor((rand() - 0.5) * 2 ** 53)) * 1024n],
      [new Int16(), () => Math.floor((rand() - 0.5) * 60000)],
      [new Int8(), () => Math.floor((rand() - 0.5) * 250)],
      [new Uint32(), () => Math.floor(rand() * 2 ** 32)],
      [new Utf8(), () => `s${Math.floor(rand() * 1000)}`],
    ];
    for (const [type, value] of kinds) {
      const parts = [50, 1, 80].map((n, c) =>
        vectorFromArray(
          Array.from({ length: n }, () => (c === 2 && rand() < 0.2 ? null : value())),
          type,
        ),
      );
      const vector = parts[0].concat(parts[1], parts[2]);
      expect(vector.data.length).toBe(3);
      const indices = Int32Array.from({ length: 400 }, () =>
        rand() < 0.1 ? -1 : Math.floor(rand() * vector.length),
      );
      const got = takeRows(vector, indices);
      expect(got.type.toString()).toBe(type.toString());
      const want = Array.from(indices, (i) => (i < 0 ? null : vector.get(i)));
      expect(Array.from({ length: got.length }, (_, i) => got.get(i))).toEqual(want);
      expect(want.filter((v) => v === null).length).toBeGreaterThan(10);
    }
  });
});
