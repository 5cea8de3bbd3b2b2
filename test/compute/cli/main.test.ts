import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../fixtures';

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
});
