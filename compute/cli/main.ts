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

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new CancelledError('Cancelled by Ctrl-C'));
  process.once('SIGINT', onSigint);
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
    io.err(`tsm ${name}: internal error: ${errorMessage(err)}`);
    if (process.env.TSM_DEBUG) io.err(String((err as Error)?.stack));
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
