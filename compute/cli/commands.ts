import type { Command } from './command';

/** Every `tsm` sub-command, in the order `tsm --help` lists them. */
export const COMMANDS: Command[] = [];
