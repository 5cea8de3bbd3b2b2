import { COMMANDS } from './commands';
import type { CliIo } from './command';
import { CancelledError, UserError, errorMessage } from '../errors';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'tsm: build photo-z training sets from spec-z catalogs and HATS photometric catalogs',
    '',
    'Usage: tsm <command> [options]     (tsm <command> --help for details)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** What to do about a file-system error of a path the user gave (one not turned into a UserError). */
const FILE_ADVICE: Record<string, string> = {
  ENOSPC: 'free some space on its disk, or choose another folder',
  EDQUOT: 'free some space on its disk, or choose another folder',
  EROFS: 'it is on a read-only file system: choose another folder',
  EACCES: 'check its permissions, or choose another folder',
  EPERM: 'check its permissions, or choose another folder',
  ENOENT: 'check that the path and its folders exist (and can hold files)',
  ENOTDIR: 'a file is in the way on the path: check the path',
  EEXIST: 'something that is not a folder is in the way: check the path',
  EISDIR: 'it is a folder: give a file name',
};

/** A one-line message for a file-system error of a path, or null for other errors. */
export function fileSystemProblem(err: unknown): string | null {
  const { code, path, message } = (err ?? {}) as NodeJS.ErrnoException;
  const advice = code ? FILE_ADVICE[code] : undefined;
  return advice && path ? `${path}: ${message}; ${advice}` : null;
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  // The first Ctrl-C cancels (the run removes its partial files); a second one must not kill the
  // process half-way through that (`timeout -s INT` also signals the process group), so only a
  // third quits at once.
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) controller.abort(new CancelledError('Cancelled by Ctrl-C'));
    else if (interrupts === 2) {
      process.stderr.write(
        'tsm: stopping and removing partial files; press Ctrl-C again to quit at once (they may stay)\n',
      );
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
    isTTY: Boolean(process.stderr.isTTY),
  };
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      io.out(topHelp());
      return name ? 0 : 2;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      io.err(`tsm: unknown command '${name}'. Run 'tsm --help' to see the commands.`);
      return 2;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.usage);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CancelledError) {
      io.err(`tsm: ${err.message}`);
      return 130;
    }
    if (err instanceof UserError) {
      io.err(`tsm ${name}: ${err.message}`);
      return 2;
    }
    const fileProblem = fileSystemProblem(err);
    if (fileProblem) {
      io.err(`tsm ${name}: ${fileProblem}`);
      return 2;
    }
    io.err(`tsm ${name}: internal error: ${errorMessage(err)}`);
    if (process.env.TSM_DEBUG) io.err(String((err as Error)?.stack));
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
