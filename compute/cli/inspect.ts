import type { Command } from './command';
import { UserError } from '../errors';
import { formatInspection, inspectHats, type InspectSectionProvider } from '../hats/inspect';
import { profileInspectSection } from '../photometry/inspect-profile';

/**
 * Extra sections of `tsm inspect`, computed from the opened catalog (schema, properties). Add a
 * provider here to show more (e.g. the detected survey profile from compute/photometry).
 */
export const INSPECT_SECTIONS: InspectSectionProvider[] = [profileInspectSection];

const USAGE = `Usage: tsm inspect [--json] <catalog>

Describes a HATS catalog or collection (a folder or an http(s) URL) without reading its data:
kind, name, rows, columns with their types, partitions per order, sky fraction, and for a
collection its margins (threshold, rows) and indexes.

Options:
  --json    print the description as JSON`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'describe a HATS catalog or collection (columns, partitions, margins)',
  usage: USAGE,
  async run(argv, io) {
    let json = false;
    const positional: string[] = [];
    // after a lone '--' (end of options, as the other commands take it) a word is the catalog
    let optionsEnded = false;
    for (const a of argv) {
      if (optionsEnded) positional.push(a);
      else if (a === '--') optionsEnded = true;
      else if (a === '--json') json = true;
      else if (a.startsWith('-'))
        throw new UserError(`unknown option '${a}'. See 'tsm inspect --help'.`);
      else positional.push(a);
    }
    if (positional.length !== 1) {
      throw new UserError(
        `give exactly one catalog folder or URL (got ${positional.length}). See 'tsm inspect --help'.`,
      );
    }
    const inspection = await inspectHats(positional[0], INSPECT_SECTIONS);
    if (json) io.out(JSON.stringify(inspection, null, 2));
    else for (const line of formatInspection(inspection)) io.out(line);
    return 0;
  },
};
