/** One `tsm` sub-command. Each lives in its own file under compute/cli/ and is listed in commands.ts. */
export interface Command {
  name: string;
  /** One line for `tsm --help`. */
  summary: string;
  /** Full help text for `tsm <name> --help`. */
  usage: string;
  /** Returns the process exit code. Throw UserError for bad input (exit code 2). */
  run(argv: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  isTTY: boolean;
}
