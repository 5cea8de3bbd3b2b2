import type { Command } from './command';
import { ebvCommand } from './ebv';

/** Every `tsm` sub-command, in the order `tsm --help` lists them. */
export const COMMANDS: Command[] = [ebvCommand];
