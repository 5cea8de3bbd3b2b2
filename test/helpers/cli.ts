import { execFile, type ExecFileOptions } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../compute/cli/main';
import { PROJECT_ROOT } from '../fixtures';

/** The built command line (`npm run build`). */
export const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

/** How a `tsm` command ended: its exit code and all it wrote. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const execFileP = promisify(execFile);

/**
 * Runs `node dist/cli.js <args>` in a process of its own; a failure (exit code above 0) is
 * returned, not thrown, with what the command wrote.
 */
export async function runCli(args: string[], options: ExecFileOptions = {}): Promise<CliResult> {
  try {
    const r = await execFileP(process.execPath, [CLI, ...args], { ...options, encoding: 'utf8' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Runs the entry point of dist/cli.js (compute/cli/main.ts) in this process, which is faster,
 * catching what it writes to stdout and stderr.
 */
export async function runCliInProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
