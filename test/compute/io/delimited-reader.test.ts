/**
 * readDelimited's `textAfterIntegers`: a column of integer ids that holds text in a later batch
 * ('J1234+5678') made the spec-z file be read a second time with the ids as text (10-20 s at a
 * million rows, the progress back at 0). The reader now turns the column to text from that batch
 * on when every integer before reads back as written, and says from which line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { integersAsText } from '../../../compute/io/arrow-columns';
import { readDelimited, type SourceBatch } from '../../../compute/io/delimited-reader';
import { useTempDir } from './helpers';

const tmp = useTempDir();

async function batchesOf(path: string, allowed: string[]): Promise<SourceBatch[]> {
  const out: SourceBatch[] = [];
  const textAfterIntegers = (c: string) => allowed.includes(c);
  for await (const b of readDelimited(path, { batchRows: 2, textAfterIntegers })) out.push(b);
  return out;
}

describe('readDelimited: text after integers (textAfterIntegers)', () => {
  const file =
    'id,flag,z\n' +
    '1,10,0.1\n' + // 2
    '2,11,0.2\n' + // 3
    '3,12,0.3\n' + // 4
    'J1234+5678,X,0.4\n' + // 5
    ',007,0.5\n'; // 6

  it('turns an allowed column text from the batch with text on, naming its line', async () => {
    const path = join(tmp.dir, 'ids.csv');
    writeFileSync(path, file);
    const batches = await batchesOf(path, ['id']);
    expect(batches.map((b) => b.table.getChild('id')!.type.typeId)).toEqual([
      Type.Int,
      Type.Utf8,
      Type.Utf8,
    ]);
    expect(batches.map((b) => b.textFrom)).toEqual([undefined, { id: 5 }, undefined]);
    expect(batches.flatMap((b) => [...b.table.getChild('id')!])).toEqual([
      1n,
      2n,
      '3',
      'J1234+5678',
      null,
    ]);
    // the earlier integers as text, as written
    expect([...integersAsText(batches[0].table, ['id']).getChild('id')!]).toEqual(['1', '2']);
    // a column not allowed: its text is null and flagged, as before
    expect(batches.map((b) => b.table.getChild('flag')!.type.typeId)).toEqual([
      Type.Int,
      Type.Int,
      Type.Int,
    ]);
    expect([...batches[1].unparsed!.flag]).toEqual([0, 1]);
    expect([...batches[1].unparsed!.id]).toEqual([0, 0]);
  });

  it("leaves integers that do not read back as written ('007', '+2') to the caller (flagged)", async () => {
    for (const second of ['007', '+2', ' 2']) {
      const path = join(tmp.dir, 'not-exact.csv');
      writeFileSync(path, file.replace('\n2,11', `\n${second},11`));
      const batches = await batchesOf(path, ['id']);
      expect(batches.map((b) => b.textFrom)).toEqual([undefined, undefined, undefined]);
      expect([...batches[1].unparsed!.id]).toEqual([0, 1]);
    }
  });
});
