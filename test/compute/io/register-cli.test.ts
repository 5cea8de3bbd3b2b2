import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../compute/cli/command';
import { registerCommand } from '../../../compute/cli/register';
import { openSpeczSource } from '../../../compute/io/specz-source';
import { TSM_EXAMPLE } from '../../fixtures';
import { startFixtureServer } from '../../helpers/fixture-server';
import { useTempDir } from './helpers';

const tmp = useTempDir();

/** The test's data folder: a folder of its own (tmp.dir holds the test's spec-z files). */
function dataDir(): string {
  const dir = join(tmp.dir, 'data');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    isTTY: false,
  };
  return { io, out, err };
}

describe('tsm register', () => {
  it('registers the example parquet and prints the report', async () => {
    const { io, out } = fakeIo();
    const code = await registerCommand.run(
      [join(TSM_EXAMPLE, 'specz.parquet'), '--data-dir', dataDir(), '--name', 'ex'],
      io,
    );
    expect(code).toBe(0);
    expect(out).toContain('rows read: 80');
    expect(out).toContain('rejected:  0');
    expect(out.at(-1)).toBe(`registered: ${join(dataDir(), 'catalogs', 'ex')}`);
    expect(existsSync(join(dataDir(), 'catalogs', 'ex', 'hats.properties'))).toBe(true);
  });

  it('prints the rejected rows with line numbers, exits 2 and registers nothing', async () => {
    const file = join(tmp.dir, 'bad.csv');
    writeFileSync(file, 'objid,alpha,delta,zbest\n1,10,10,0.1\n2,10,-95,0.2\n3,10,10,x\n');
    const { io, out, err } = fakeIo();
    const code = await registerCommand.run(
      [file, '--ra', 'alpha', '--dec', 'delta', '--data-dir', dataDir()],
      io,
    );
    expect(code).toBe(2);
    // the columns mapped to dec and z are named (it said "dec outside ...", "z not numeric")
    expect(out).toContain('  dec (column delta) outside [-90, 90]: 1 (line 3)');
    expect(out).toContain('  z (column zbest) not numeric: 1 (line 4)');
    expect(err[0]).toMatch(/2 of 3 rows are invalid.*--skip-invalid/);
    const catalogs = join(dataDir(), 'catalogs');
    expect(existsSync(catalogs) ? readdirSync(catalogs) : []).toEqual([]);
  });

  it('registers a HATS catalog given by its http address as the same catalog read locally', async () => {
    const local = join(TSM_EXAMPLE, 'specz_collection');
    const server = await startFixtureServer({ root: TSM_EXAMPLE });
    try {
      const url = server.urlFor(local);
      const remote = fakeIo();
      expect(await registerCommand.run([url, '--data-dir', dataDir()], remote.io)).toBe(0);
      expect(remote.out.at(-1)).toBe(
        `registered: ${join(dataDir(), 'catalogs', 'specz_collection')}`,
      );
      const here = fakeIo();
      expect(
        await registerCommand.run([local, '--data-dir', dataDir(), '--name', 'here'], here.io),
      ).toBe(0);
      expect(remote.out.filter((l) => !l.startsWith('registered'))).toEqual(
        here.out.filter((l) => !l.startsWith('registered')).map((l) => l.replace(local, url)),
      );
      const rows = async (name: string) => {
        const source = await openSpeczSource(join(dataDir(), 'catalogs', name));
        const out: unknown[] = [];
        for await (const b of source.batches())
          out.push(...b.table.toArray().map((r) => r.toJSON()));
        return out;
      };
      const got = await rows('specz_collection');
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(await rows('here'));
      // other formats are files: only HATS is read over http
      const csv = fakeIo();
      await expect(
        registerCommand.run(
          [url, '--format', 'csv', '--data-dir', dataDir(), '--name', 'c'],
          csv.io,
        ),
      ).rejects.toThrow(`${url}: only HATS catalogs are read over http(s) (got --format csv)`);
    } finally {
      await server.close();
    }
  });

  it('--check validates without writing; --json prints the report object', async () => {
    const { io, out } = fakeIo();
    const code = await registerCommand.run(
      [join(TSM_EXAMPLE, 'specz.parquet'), '--check', '--json'],
      io,
    );
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report).toMatchObject({
      rowsRead: 80,
      rowsAccepted: 80,
      rowsRejected: 0,
      format: 'parquet',
    });
  });

  it('--check says why it exits 2: rows to reject, or no data rows at all', async () => {
    const empty = join(tmp.dir, 'header-only.csv');
    writeFileSync(empty, 'id,ra,dec,z\n');
    const a = fakeIo();
    expect(await registerCommand.run([empty, '--check'], a.io)).toBe(2);
    expect(a.err).toEqual([`tsm register: ${empty} has no data rows: nothing to register`]);
    const bad = join(tmp.dir, 'one-bad.csv');
    writeFileSync(bad, 'id,ra,dec,z\n1,10,20,0.5\n2,11,21,-3\n');
    const b = fakeIo();
    expect(await registerCommand.run([bad, '--check'], b.io)).toBe(2);
    expect(b.err).toEqual([
      'tsm register: 1 of 2 rows would be rejected (above); fix them, or register the others with --skip-invalid',
    ]);
    // with --skip-invalid the registration would succeed with the valid row: so does the check
    const c = fakeIo();
    expect(await registerCommand.run([bad, '--check', '--skip-invalid'], c.io)).toBe(0);
    expect(c.err).toEqual([]);
  });

  it('a file cut mid-line: the report counts every line; refused naming the line, or registered without it with --skip-invalid', async () => {
    const cut = join(tmp.dir, 'cut.csv');
    writeFileSync(
      cut,
      'id,ra,dec,z\n1,10.0,-30.0,0.5\n2,10.1,-30.1,0.6\n3,10.2,-30.2,0.7\n4,10.3,-3',
    );
    const note =
      'the last line (line 5) is cut short, so the file looks truncated (re-export it); ';
    const reason =
      '  last line cut short (3 fields, expected 4): the file looks truncated; re-export it: 1 (line 5)';
    const a = fakeIo();
    expect(await registerCommand.run([cut, '--data-dir', dataDir()], a.io)).toBe(2);
    expect(a.out).toContain('rows read: 4');
    expect(a.out).toContain('accepted:  3');
    expect(a.out).toContain('rejected:  1');
    expect(a.out).toContain(reason);
    expect(a.err).toEqual([
      `tsm register: ${cut}: ${note}1 of 4 rows are invalid, so the file was not registered; fix them, or register the 3 valid rows with --skip-invalid`,
    ]);
    expect(existsSync(join(dataDir(), 'catalogs', 'cut'))).toBe(false);
    const check = fakeIo();
    expect(await registerCommand.run([cut, '--check'], check.io)).toBe(2);
    expect(check.err).toEqual([
      `tsm register: ${note}1 of 4 rows would be rejected (above); fix them, or register the others with --skip-invalid`,
    ]);
    const b = fakeIo();
    expect(await registerCommand.run([cut, '--data-dir', dataDir(), '--skip-invalid'], b.io)).toBe(
      0,
    );
    expect(b.out).toContain('rows read: 4');
    expect(b.out).toContain('accepted:  3');
    expect(b.out).toContain(reason);
    expect(b.out.at(-1)).toBe(`registered: ${join(dataDir(), 'catalogs', 'cut')}`);
    // a file that cannot be read to its end prints no report (it said 'rows read: 0')
    const quoted = join(tmp.dir, 'cutq.csv');
    writeFileSync(quoted, 'id,ra,dec,z,name\n1,10,10,0.1,"ok"\n2,20,20,0.2,"unfinished');
    const q = fakeIo();
    await expect(registerCommand.run([quoted, '--data-dir', dataDir()], q.io)).rejects.toThrow(
      `${quoted}: the file ends inside a quoted field (truncated?); fix or re-export the file`,
    );
    expect(q.out).toEqual([]);
  });

  it('--data-dir: a folder of other files is refused, writing nothing; a missing one is made, marked, and said', async () => {
    const home = join(tmp.dir, 'home');
    mkdirSync(join(home, 'Documents'), { recursive: true });
    writeFileSync(join(home, '.bashrc'), '');
    const a = fakeIo();
    await expect(
      registerCommand.run([join(TSM_EXAMPLE, 'specz.parquet'), '--data-dir', home], a.io),
    ).rejects.toThrow(
      `--data-dir ${home} already holds other files (.bashrc, Documents) and is not a Training Set Maker data folder (no .tsm-data-folder, catalogs/ or runs/ in it), so its catalogs, runs and settings would be put among them: give a new or empty folder, such as ${join(home, 'tsm-data')}, or, to use this folder as it is, put an empty file named .tsm-data-folder in it.`,
    );
    // it registered into it: catalogs/specz/ beside the user's files
    expect(readdirSync(home).sort()).toEqual(['.bashrc', 'Documents']);
    const data = join(home, 'tsm-data');
    const b = fakeIo();
    expect(
      await registerCommand.run(
        [join(TSM_EXAMPLE, 'specz.parquet'), '--data-dir', data, '--progress', 'none'],
        b.io,
      ),
    ).toBe(0);
    expect(b.err).toEqual([
      `tsm register: Made a new, empty data folder ${data} (it did not exist).`,
    ]);
    expect(readdirSync(data).sort()).toEqual(['.tsm-data-folder', 'catalogs']);
    const c = fakeIo();
    expect(
      await registerCommand.run(
        [
          join(TSM_EXAMPLE, 'specz.parquet'),
          '--data-dir',
          data,
          '--progress',
          'none',
          '--name',
          'two',
        ],
        c.io,
      ),
    ).toBe(0);
    expect(c.err).toEqual([]);
  });

  it('refuses unknown options and bad values with a hint', async () => {
    const { io } = fakeIo();
    await expect(registerCommand.run(['x.csv', '--bogus'], io)).rejects.toThrow(
      /tsm register --help/,
    );
    await expect(registerCommand.run(['x.csv', '--angle-units', 'grad'], io)).rejects.toThrow(
      /--angle-units must be deg, rad or sexagesimal/,
    );
  });
});
