/**
 * `tsm xmatch` read a left CSV typed from its first 65,536 rows, and a later id such as
 * 'J1234+5678' (or any text in a column of numbers) became a null without a word. The column is
 * now read as text throughout, as tsm register and tsm run read a spec-z file, and xmatch warns.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Type } from 'apache-arrow';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readUserTable } from '../../../compute/crossmatch/user-file';
import { LSDB_DATA, PROJECT_ROOT } from '../../fixtures';

// the readings of a file (readDelimited calls), counted through a wrapper of the real reader
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../compute/io/delimited-reader', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../compute/io/delimited-reader')>();
  return {
    ...real,
    readDelimited: (...args: Parameters<typeof real.readDelimited>) => {
      reads.count++;
      return real.readDelimited(...args);
    },
  };
});
beforeEach(() => {
  reads.count = 0;
});

const exec = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tsm-user-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 65,540 rows: the first batch (65,536 rows) has integer ids and numeric notes; line 65,539
// (row 65,538) has the id 'J1234+5678', line 65,540 the note 'bad'
const ROWS = 65_540;
const path = join(dir, 'left.csv');
const lines = ['id,ra,dec,note'];
for (let i = 0; i < ROWS; i++) {
  const id = i === 65_537 ? 'J1234+5678' : String(i);
  const note = i === 65_538 ? 'bad' : String(i % 7);
  lines.push(`${id},${(i % 3600) / 10},${-80 + (i % 1600) / 10},${note}`);
}
writeFileSync(path, lines.join('\n') + '\n');

const idNote = `${path}: column 'id' is read as text (its first lines hold numbers, but line 65539 has 'J1234+5678'), so every value keeps its text as written. If that value is a mistake, fix line 65539 and the column stays numeric.`;
const noteNote = `${path}: column 'note' is read as text (its first lines hold numbers, but line 65540 has 'bad'), so every value keeps its text as written. If that value is a mistake, fix line 65540 and the column stays numeric.`;

describe('readUserTable: text after numbers in a later batch', () => {
  it('reads the column as text, every value as written, and says so', async () => {
    const notes: string[] = [];
    const table = await readUserTable(path, (n) => notes.push(n));
    expect(notes).toEqual([idNote, noteNote]);
    expect(table.numRows).toBe(ROWS);
    const id = table.getChild('id')!;
    expect(id.type.typeId).toBe(Type.Utf8);
    expect([id.get(0), id.get(65_536), id.get(65_537), id.get(65_539)]).toEqual([
      '0',
      '65536',
      'J1234+5678',
      '65539',
    ]);
    expect(id.nullCount).toBe(0);
    expect(table.getChild('note')!.get(65_538)).toBe('bad');
    // positions stay numbers
    expect(table.getChild('ra')!.type.typeId).toBe(Type.Float);
    // the integers before the text read back as written: the file is read once (it was read
    // twice: once to find each column's text, then again with those columns as text)
    expect(reads.count).toBe(1);
  });

  it('reads the file once: every id is its text as written, integers before the text included', async () => {
    // ids turn text halfway, in a later batch than the first (65,536 rows); notes stay integers
    const mixed = join(dir, 'half-text.csv');
    const written: string[] = [];
    const rows = ['id,ra,dec,note'];
    for (let i = 0; i < 140_000; i++) {
      const id = i < 70_000 ? String(i * 37 - 1000) : `J${String(i).padStart(7, '0')}+1`;
      written.push(id);
      rows.push(`${id},${(i % 3600) / 10},${-80 + (i % 1600) / 10},${i % 5}`);
    }
    writeFileSync(mixed, rows.join('\n') + '\n');
    const notes: string[] = [];
    const table = await readUserTable(mixed, (n) => notes.push(n));
    expect(reads.count).toBe(1);
    const id = table.getChild('id')!;
    expect(id.type.typeId).toBe(Type.Utf8);
    expect(id.toArray()).toEqual(written);
    expect(table.getChild('note')!.type.typeId).toBe(Type.Int);
    expect(notes).toEqual([
      `${mixed}: column 'id' is read as text (its first lines hold numbers, but line 70002 has 'J0070000+1'), so every value keeps its text as written. If that value is a mistake, fix line 70002 and the column stays numeric.`,
    ]);
  });

  it("reads the file again when an integer before the text does not read back as written ('007')", async () => {
    const padded = join(dir, 'padded.csv');
    const rows = ['id,ra,dec'];
    for (let i = 0; i < 65_540; i++) {
      const id = i === 3 ? '007' : i === 65_537 ? 'J1' : String(i);
      rows.push(`${id},${(i % 3600) / 10},${-80 + (i % 1600) / 10}`);
    }
    writeFileSync(padded, rows.join('\n') + '\n');
    const table = await readUserTable(padded);
    expect(reads.count).toBe(2);
    const id = table.getChild('id')!;
    expect([id.get(2), id.get(3), id.get(65_537)]).toEqual(['2', '007', 'J1']);
  });

  it('tsm xmatch warns on stderr and writes the ids', async () => {
    const out = join(dir, 'out.csv');
    const r = await exec(process.execPath, [
      CLI,
      'xmatch',
      path,
      join(LSDB_DATA, 'small_sky'),
      '--radius-arcsec',
      '3600',
      '--how',
      'left',
      '--workers',
      '0',
      '--out',
      out,
    ]);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      `Warning: ${idNote}`,
      `Warning: ${noteNote}`,
    ]);
    expect(readFileSync(out, 'utf8')).toMatch(/^\d+,J1234\+5678,/m);
  });
});
