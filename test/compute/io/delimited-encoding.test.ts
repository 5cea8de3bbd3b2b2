import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readDelimited } from '../../../compute/io/delimited-reader';
import { isUtf8 } from '../../../compute/io/delimited-sniff';
import { validationSummary } from '../../../compute/io/specz-preview';
import { formatReport } from '../../../compute/io/specz-validate';
import { validateSpeczCatalog } from '../../../compute/io/specz-register';
import { useTempDir } from './helpers';

const tmp = useTempDir();

async function names(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of readDelimited(path)) {
    out.push(...[...(b.table as Table).getChild('name')!].map(String));
  }
  return out;
}

describe('the text encoding of a delimited file', () => {
  // 'Café' and 'naïve' in ISO-8859-1: é = 0xE9, ï = 0xEF (single bytes, invalid as UTF-8)
  const latin1 = Buffer.concat([
    Buffer.from('id,ra,dec,z,name\n1,10,20,0.5,Caf'),
    Buffer.from([0xe9]),
    Buffer.from('\n2,11,21,0.6,na'),
    Buffer.from([0xef]),
    Buffer.from('ve\n'),
  ]);

  it('reads a Latin-1 file as Latin-1 and says so in the report (it stored Caf\ufffd)', async () => {
    const path = join(tmp.dir, 'latin1.csv');
    writeFileSync(path, latin1);
    expect(await names(path)).toEqual(['Café', 'naïve']);
    const report = await validateSpeczCatalog(path);
    expect(report.rowsAccepted).toBe(2);
    const note = `${path} is not UTF-8 text: it was read as Latin-1 (ISO-8859-1). If it uses another encoding, convert it to UTF-8 first.`;
    expect(report.notes).toEqual([note]);
    expect(validationSummary(report).issues[0]).toEqual({ severity: 'warning', message: note });
    expect(formatReport(report)).toContain(`note:      ${note}`);
  });

  it('reads UTF-8 (with or without a BOM, and blank-separated) as UTF-8, without a note', async () => {
    const utf8 = join(tmp.dir, 'utf8.csv');
    writeFileSync(utf8, '\ufeffid,ra,dec,z,name\n1,10,20,0.5,Café\n2,11,21,0.6,naïve\n');
    expect(await names(utf8)).toEqual(['Café', 'naïve']);
    expect((await validateSpeczCatalog(utf8)).notes).toBeUndefined();
    const blanks = join(tmp.dir, 'blanks.txt');
    writeFileSync(
      blanks,
      Buffer.concat([Buffer.from('id ra dec z name\n1 10 20 0.5 Caf'), Buffer.from([0xe9, 0x0a])]),
    );
    expect(await names(blanks)).toEqual(['Café']);
  });

  it('reads a character cut by the 64 KiB read chunks of a blank-separated file whole (it became \ufffd\ufffd)', async () => {
    // 'é' (0xC3 0xA9) at bytes 65535 and 65536: the first two chunks of a file stream
    const head = 'id ra dec z name\n';
    const row = '1 10 20 0.5 ';
    const name = `${'x'.repeat(65_535 - head.length - row.length)}éy`;
    const path = join(tmp.dir, 'blanks-64k.txt');
    writeFileSync(path, `${head}${row}${name}\n2 11 21 0.6 last\n`);
    expect(Buffer.from(readFileSync(path)).subarray(65_535, 65_537)).toEqual(Buffer.from('é'));
    expect(await names(path)).toEqual([name, 'last']);
  });

  it('reads UTF-16 little-endian text (Excel\'s "Unicode text", with or without a BOM) as UTF-16 (it found no ra, dec, z "among [col1, col2, ...]")', async () => {
    const text = 'id\tra\tdec\tz\tname\r\n1\t10\t20\t0.5\tCafé\r\n2\t11\t21\t0.6\tnaïve\r\n';
    for (const [file, bytes] of [
      ['bom.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['nobom.txt', Buffer.from(text, 'utf16le')],
    ] as const) {
      const path = join(tmp.dir, file);
      writeFileSync(path, bytes);
      expect(await names(path)).toEqual(['Café', 'naïve']);
      const report = await validateSpeczCatalog(path);
      expect(report.rowsAccepted).toBe(2);
      expect(report.notes).toBeUndefined();
    }
  });

  it('refuses UTF-16 big-endian text, saying what to do', async () => {
    const path = join(tmp.dir, 'be.csv');
    const le = Buffer.from('\ufeffid,ra,dec,z\n1,10,20,0.5\n', 'utf16le');
    writeFileSync(path, Buffer.from(le).swap16());
    await expect(validateSpeczCatalog(path)).rejects.toThrow(
      `${path}: the file is UTF-16 big-endian text, which is not read; save it as UTF-8 (in Excel: CSV UTF-8) and try again`,
    );
  });

  // each was read as text and said "could not find a delimiter (tried comma, ...); every line
  // has one field", which does not say the file is no table at all
  it('refuses a file that is not text (gzip, zip, an image, binary data), saying what it is', async () => {
    const csv = Buffer.from('id,ra,dec,z\n1,10,20,0.5\n');
    const cases: [string, Buffer, string][] = [
      [
        'specz.csv.gzip',
        gzipSync(csv),
        'is gzip-compressed, not text: decompress it first (gunzip) and give the file it holds',
      ],
      [
        'specz.dat',
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), csv]),
        'is a zip archive, not text: extract the catalog from it first and give its file',
      ],
      [
        'plot.png',
        // a PNG's signature and the start of its IHDR chunk
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
        'is not text (a PNG image), so not a table the app reads: give a CSV or other delimited text, Parquet, FITS or HDF5 file',
      ],
      [
        'data.bin',
        Buffer.from([1, 2, 3, 0, 0, 0, 10, 4, 5, 6, 0, 7, 10]),
        'is not text (it holds binary data), so not a table the app reads: give a CSV or other delimited text, Parquet, FITS or HDF5 file',
      ],
    ];
    for (const [name, bytes, said] of cases) {
      const path = join(tmp.dir, name);
      writeFileSync(path, bytes);
      await expect(validateSpeczCatalog(path)).rejects.toThrow(`${path}: ${said}`);
    }
    // UTF-16 text, whose zero bytes are not binary, is still read
    const le = join(tmp.dir, 'le.csv');
    writeFileSync(le, Buffer.from('id,ra,dec,z,name\n1,10,20,0.5,Café\n', 'utf16le'));
    expect(await names(le)).toEqual(['Café']);
  });

  it('isUtf8: a multi-byte character cut at the end of a sample is still UTF-8', () => {
    const e = Buffer.from('é'); // 0xC3 0xA9
    expect(isUtf8(Buffer.concat([Buffer.from('abc'), e.subarray(0, 1)]))).toBe(true);
    expect(isUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toBe(false);
  });
});

describe('a delimited file whose header names a column twice', () => {
  it('reads the second under another name and says so (it was renamed in silence)', async () => {
    const path = join(tmp.dir, 'dup_header.csv');
    writeFileSync(path, 'id,ra,dec,z,z\n1,10,20,0.5,1.5\n2,11,21,0.6,1.6\n');
    const report = await validateSpeczCatalog(path);
    expect(report.rowsAccepted).toBe(2);
    const note = `${path}: columns 4 and 5 are both named 'z'; column 5 is read as 'z_5'. Rename one of them in the file if column 5 is the one to use.`;
    expect(report.notes).toEqual([note]);
    expect(validationSummary(report).issues[0]).toEqual({ severity: 'warning', message: note });
    const z5: number[] = [];
    for await (const b of readDelimited(path)) {
      z5.push(...[...(b.table as Table).getChild('z_5')!].map(Number));
    }
    expect(z5).toEqual([1.5, 1.6]);
  });
});

describe('empty fields of a delimited file', () => {
  it('are missing values in text columns too (they came back as empty texts)', async () => {
    const path = join(tmp.dir, 'empty.csv');
    // what the CSV writer writes for a null: an empty field (quoted or not)
    writeFileSync(path, 'id,ra,dec,z,survey\n1,10,20,0.5,VVDS\n2,11,21,0.6,\n3,12,22,0.7,""\n');
    const survey: (string | null)[] = [];
    for await (const b of readDelimited(path)) {
      survey.push(...[...(b.table as Table).getChild('survey')!].map((v) => v as string | null));
    }
    expect(survey).toEqual(['VVDS', null, null]);
  });
});

describe('exact copies of a row in a spec-z file without an id column', () => {
  it('are kept but named in the report (they counted as several spec-z, unseen)', async () => {
    const path = join(tmp.dir, 'copies.csv');
    writeFileSync(
      path,
      'ra,dec,z\n10,20,0.5\n11,21,0.6\n10,20,0.5\n10,20,0.7\n11,21,0.6\n10,20,0.5\n',
    );
    const report = await validateSpeczCatalog(path);
    expect(report.rowsAccepted).toBe(6);
    // lines 4 and 7 repeat line 2, line 6 repeats line 3; line 5 differs in z
    expect(report.notes).toEqual([
      `${path}: 3 rows repeat the ra, dec and z of an earlier row (lines 4, 6, 7); without an id column they cannot be told apart and each counts as a spec-z: map an id column, or remove the copies from the file`,
    ]);
    // with an id column they are different spec-z (or duplicate ids, rejected): no note
    const withIds = join(tmp.dir, 'ids.csv');
    writeFileSync(withIds, 'id,ra,dec,z\n1,10,20,0.5\n2,10,20,0.5\n');
    expect((await validateSpeczCatalog(withIds)).notes).toBeUndefined();
  });
});
