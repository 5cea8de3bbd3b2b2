import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileSystemProblem } from '../../../compute/cli/main';
import { shortWriteError } from '../../../compute/io/short-write';
import { PROJECT_ROOT } from '../../fixtures';
import { testTempDir } from '../../helpers/temp-dir';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

describe('tsm', () => {
  it('finishes quietly when the reader of its output closes the pipe early (| head)', async () => {
    // 20 000 positions: more lines than a pipe holds, so the writes meet the closed pipe
    const script = `"${process.execPath}" "${CLI}" ebv --map sfd-lowres $(yes '10 10' | head -n 20000) | head -1; exit \${PIPESTATUS[0]}`;
    const { stdout, stderr } = await run('/bin/bash', ['-c', script]);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toBe(''); // was: "Unhandled 'error' event ... EPIPE" and exit code 1
  });

  it('runs as its own executable, starting Node with the small young generation and one malloc arena', async () => {
    // scripts/build.mjs writes this line; bench/scale.ts reads its flags
    const first = (await readFile(CLI, 'utf8')).slice(0, 100).split('\n')[0];
    expect(first).toBe('#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=4');
    const direct = await run(CLI, ['ebv', '--map', 'sfd-lowres', '10', '10']);
    const viaNode = await run(process.execPath, [CLI, 'ebv', '--map', 'sfd-lowres', '10', '10']);
    expect(direct.stdout).toBe(viaNode.stdout);
    expect(direct.stdout).toMatch(/\d/);
  });

  it('refuses an unknown command with exit code 2 and one line on stderr', async () => {
    const err = await run(process.execPath, [CLI, 'no-such-command']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toContain("unknown command 'no-such-command'");
  });

  // A file-system error of a path the user gave is theirs to fix: one line naming the path and
  // what to do, exit 2 (it was "internal error: EEXIST: ..." with exit 1).
  it('says what to do about a path the user gave, with exit code 2, for every command', async () => {
    const dir = testTempDir('tsm-cli-paths-');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const err = await run(process.execPath, [CLI, 'demo', '--out', file]).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n').at(-1)).toBe(
      `tsm demo: ${file}: ENOTDIR: not a directory, mkdir '${file}'; a file is in the way on the path: check the path`,
    );
    const exp = await run(process.execPath, [
      CLI,
      'export',
      '--target',
      'pzserver',
      join(PROJECT_ROOT, 'compute', 'demo', 'data', 'no-such.tsm.json'),
      '--out',
      join(file, 'sub'),
    ]).catch((e) => e);
    expect(exp.code).toBe(2);
    expect(exp.stderr).not.toContain('internal error');
  });

  it('fileSystemProblem: a full disk (a short write too), and errors that are not about a path', () => {
    expect(fileSystemProblem(shortWriteError('/out/t.parquet', 139, 594))).toBe(
      "/out/t.parquet: ENOSPC: no space left on device, write '/out/t.parquet' (wrote 139 of 594 bytes); free some space on its disk, or choose another folder",
    );
    expect(fileSystemProblem(new Error('boom'))).toBeNull();
    expect(
      fileSystemProblem(Object.assign(new Error('x'), { code: 'ERR_SOMETHING', path: '/a' })),
    ).toBeNull();
    expect(fileSystemProblem(null)).toBeNull();
  });
});
