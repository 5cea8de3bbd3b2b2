import type { Command } from './command';
import { demoCommand } from './demo';
import { ebvCommand } from './ebv';
import { exportCommand } from './export';
import { inspectCommand } from './inspect';
import { registerCommand } from './register';
import { runCommand } from './run';
import { xmatchCommand } from './xmatch';

/** Every `tsm` sub-command, in the order `tsm --help` lists them. */
export const COMMANDS: Command[] = [
  runCommand,
  demoCommand,
  inspectCommand,
  ebvCommand,
  xmatchCommand,
  registerCommand,
  exportCommand,
];
