import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDelimited } from '../../../compute/io/delimited-reader';
import { indexDelimitedRows } from '../../../compute/io/delimited-rows';
import { sniffDelimited } from '../../../compute/io/delimited-sniff';
import { smallSkyTable, useTempDir } from './helpers';

const tmp = useTempDir();

/** The `name` column of every row readDelimited gives, from the top or from `startByte`. */
async function names(path: string, startByte?: number): Promise<string[]> {
  const layout = await sniffDelimited(path);
  const out: string[] = [];
  for await (const b of readDelimited(path, { layout, startByte })) {
    out.push(...[...b.table.getChild('name')!].map(String));
  }
  return out;
}

/** Indexes `path` every `every` rows and checks each start against readDelimited from the top. */
async function checkIndex(path: string, every: number): Promise<number> {
  const layout = await sniffDelimited(path);
  const index = await indexDelimitedRows(path, layout, every);
  const all = await names(path);
  expect(index.rows).toBe(all.length);
  expect(index.starts).toHaveLength(Math.ceil(all.length / every));
  for (const [k, start] of index.starts.entries()) {
    expect(await names(path, start)).toEqual(all.slice(k * every));
  }
  return index.rows;
}

describe('indexDelimitedRows', () => {
  it('finds where every k-th row starts, as readDelimited reads them (quotes, CRLF, blank and # lines, BOM)', async () => {
    const path = join(tmp.dir, 'tricky.csv');
    writeFileSync(
      path,
      [
        '\ufeff# written by a test',
        'id,ra,dec,z,name',
        '1,10,20,0.5,plain',
        '2,11,21,0.6,"two\r\nlines"',
        '',
        '3,12,22,0.7,"a ""quoted"" word, with a comma"',
        '# a comment line between rows',
        '4,13,23,0.8,"#not a comment"',
        '5,14,24,0.9,"a quote at the end"""',
        '\r',
        '6,15,25,1.0,""',
        '7,16,26,1.1,last, no line end',
      ]
        .join('\r\n')
        .replace('last, no line end', '"last, no line end"'),
    );
    for (const every of [1, 2, 3, 1024]) expect(await checkIndex(path, every)).toBe(7);
    expect(await names(path)).toEqual([
      'plain',
      'two\r\nlines',
      'a "quoted" word, with a comma',
      '#not a comment',
      'a quote at the end"',
      'null',
      'last, no line end',
    ]);
  });

  it('counts a file without a header row from its first line, and one with no rows as 0', async () => {
    const bare = join(tmp.dir, 'bare.csv');
    writeFileSync(bare, '1,10,20,0.5,a\n2,11,21,0.6,b\n3,12,22,0.7,c\n');
    const layout = await sniffDelimited(bare);
    expect(layout.hasHeaderRow).toBe(false);
    expect(await indexDelimitedRows(bare, layout, 2)).toEqual({
      rows: 3,
      every: 2,
      starts: [0, 28],
    });
    const empty = join(tmp.dir, 'empty.csv');
    writeFileSync(empty, 'id,ra,dec,z,name\r\n');
    expect(await indexDelimitedRows(empty, { hasHeaderRow: true })).toEqual({
      rows: 0,
      every: 1024,
      starts: [],
    });
  });

  it('indexes a file larger than its 1 MiB reading chunk (rows cut between chunks)', async () => {
    const sky = smallSkyTable();
    const lines = ['id,ra,dec,z,name'];
    // 20,000 rows of ~60 bytes: the chunk ends fall inside rows and inside quoted fields
    for (let i = 0; i < 20_000; i++) {
      const row = sky.get(i % sky.numRows)!.toJSON() as Record<string, number>;
      lines.push(`${i},${row.ra},${row.dec},0.${i},"row ${i}, ""${i % 7}"""`);
    }
    const path = join(tmp.dir, 'large.csv');
    writeFileSync(path, lines.join('\r\n') + '\r\n');
    const layout = await sniffDelimited(path);
    const index = await indexDelimitedRows(path, layout, 4999);
    expect(index.rows).toBe(20_000);
    for (const [k, start] of index.starts.entries()) {
      const first = (await names(path, start))[0];
      expect(first).toBe(`row ${k * 4999}, "${(k * 4999) % 7}"`);
    }
  });
});
