import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../fixtures';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

describe('tsm', () => {
  it('refuses an unknown command with exit code 2 and one line on stderr', async () => {
    const err = await run(process.execPath, [CLI, 'no-such-command']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toContain("unknown command 'no-such-command'");
  });
});
