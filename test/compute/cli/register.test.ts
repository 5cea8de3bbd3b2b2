/**
 * `tsm register` of a million-row file printed nothing while it read every row (10-40 s): it now
 * says the rows read on stderr (a line per tenth of the file when stderr is not a terminal), and
 * when the catalog is written; `--progress none` keeps it quiet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TSM_EXAMPLE } from '../../fixtures';
import { runCli } from '../../helpers/cli';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet'); // 80 rows
const dir = mkdtempSync(join(tmpdir(), 'tsm-register-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tsm = (args: string[]) => runCli(args);

describe('tsm register progress', () => {
  it('says the rows read, then the writing, on stderr (not a terminal: lines)', async () => {
    const r = await tsm(['register', SPECZ, '--data-dir', dir, '--name', 'lines']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('reading: 80 rows (100%)\nwriting the HATS catalog: 80 rows\n');
    expect(r.stdout).toContain('rows read: 80\n');
  });

  it('says the rows read of a check, and nothing with --progress none', async () => {
    const check = await tsm(['register', SPECZ, '--check']);
    expect(check.code).toBe(0);
    expect(check.stderr).toBe('reading: 80 rows (100%)\n');
    const quiet = await tsm(['register', SPECZ, '--check', '--progress', 'none', '--json']);
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).rowsRead).toBe(80);
  });

  it('refuses another progress mode, naming the option', async () => {
    const r = await tsm(['register', SPECZ, '--check', '--progress', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tsm register: --progress must be bar, lines or none (got 'json')\n");
  });
});
