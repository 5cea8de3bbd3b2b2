/**
 * What a run leaves beside its output (tsm-domain.md §5: the original copies its config.yml and
 * a process.yml there): `config.yml`, the project as run (version 1, seed filled in, so
 * `tsm run config.yml` repeats the run), and `run.json`, the record of inputs, versions, rules,
 * counts and timings. Both are written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import type { Project } from './project-schema';

export const RUN_JSON = 'run.json';
export const CONFIG_YML = 'config.yml';

let version: string | undefined;

/** This app's version, from the nearest package.json above this module. */
export function appVersion(): string {
  if (version) return version;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'training-set-maker' && pkg.version) return (version = pkg.version);
      } catch {
        // keep looking
      }
    }
    dir = dirname(dir);
  }
  return (version = 'unknown');
}

/** Writes `config.yml` (the project as run) into `folder`; returns its path. */
export async function writeConfigYml(folder: string, project: Project): Promise<string> {
  const path = join(folder, CONFIG_YML);
  const header =
    '# Training Set Maker project, as run (version 1). Re-run with: tsm run config.yml\n';
  await writeFileAtomic(path, header + stringify(project));
  return path;
}

/** Writes `run.json` into `folder`; returns its path. */
export async function writeRunJson(folder: string, record: unknown): Promise<string> {
  const path = join(folder, RUN_JSON);
  await writeJsonAtomic(path, record);
  return path;
}
