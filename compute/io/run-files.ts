import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic, writeJsonAtomic } from './atomic';

/**
 * Writes `config.yml` (the run's inputs as given: a YAML text is written as is, an object is
 * serialised) into the output folder, atomically (`.partial` + rename).
 */
export async function writeConfigYml(outDir: string, config: string | object): Promise<string> {
  const path = join(outDir, 'config.yml');
  await writeFileAtomic(path, typeof config === 'string' ? config : stringify(config));
  return path;
}

/** Writes `run.json` (pretty JSON) into the output folder, atomically. */
export async function writeRunJson(outDir: string, record: unknown): Promise<string> {
  const path = join(outDir, 'run.json');
  await writeJsonAtomic(path, record);
  return path;
}
