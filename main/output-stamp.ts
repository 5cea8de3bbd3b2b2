import { stat } from 'node:fs/promises';
import type { RunRecord } from '../preload/api';

/** The modification time of an output file or folder (ms), or undefined when it is not there. */
export async function writtenMs(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => null))?.mtimeMs;
}

/**
 * Why a finished run's output is not the one it wrote, or undefined: a later run into the same
 * folder with the same name writes it again (records of older versions have no time to compare).
 */
export async function outputReplaced(run: RunRecord): Promise<string | undefined> {
  if (!run.outputPath || run.outputWrittenMs === undefined) return undefined;
  const now = await writtenMs(run.outputPath);
  if (now === undefined || now === run.outputWrittenMs) return undefined;
  const when = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return `${run.outputPath} was written again on ${when}, after this run (a later run with the same name and output folder?): the table and plots show that file; the counts are this run's.`;
}
