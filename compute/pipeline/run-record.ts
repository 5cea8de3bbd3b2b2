/**
 * What a run leaves beside its output (tsm-domain.md §5: the original copies its config.yml and
 * a process.yml there): `config.yml`, the project as run (version 1, seed filled in, so
 * `tsm run config.yml` repeats the run), and `run.json`, the record of inputs, versions, rules,
 * counts and timings. They are saved with the output under a journal (run-commit.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { UserError } from '../errors';
import { projectForFile, type Project } from './project-schema';
import { COMMIT_JOURNAL, readCommitJournal } from './run-commit';

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

/** The text of `config.yml`: the project as run. */
export function configYmlText(project: Project): string {
  const file = projectForFile(project);
  const header = `# Training Set Maker project, as run (version ${file.version}). Re-run with: tsm run config.yml\n`;
  return header + stringify(file);
}

/** The text of `run.json`. */
export function runJsonText(record: unknown): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Checks that writing `run.json` and `config.yml` into `folder` for the output `outPath` loses no
 * other training set's record, and the output itself no file of the user's. A run of the same
 * output replaces them; so does a run whose earlier output is gone. The same training set in
 * another format replaces them with a warning (returned; the earlier file stays). Another
 * training set's record, what an exported LSDB job wrote, a `run.json` that is no run record, or
 * a file or folder at `outPath` that the folder's run record does not name, or a `config.yml`
 * without a `run.json` (both the user's own) stops the run before the crossmatch (UserError).
 * Where a run was killed while saving (run-commit.ts: its journal and no `run.json`), the journal
 * stands for the record, and a warning says so. Returns the warnings.
 */
export async function checkRunRecordFolder(folder: string, outPath: string): Promise<string[]> {
  const path = join(folder, RUN_JSON);
  let text: string | null;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = null; // none there (or unreadable: writing it will say why)
  }
  // beside a run.json the journal is stale (killed before the old one was removed, or after
  // the new one was renamed): the set is whole either way
  const journal = await readCommitJournal(folder);
  const interrupted = text === null ? journal : null;
  const warnings = interrupted
    ? [
        `An earlier run was killed while saving ${interrupted.files.join(', ')} in ${folder} (it left ${COMMIT_JOURNAL} and no ${RUN_JSON}), so the files there may be from different runs; this run replaces them.`,
      ]
    : [];
  const recorded = interrupted
    ? { name: interrupted.output, byJob: false }
    : text === null
      ? null
      : recordedOutput(text);
  // the files of the two that are there (a config.yml of the user's own comes alone)
  const there = [RUN_JSON, CONFIG_YML].filter((f) => existsSync(join(folder, f))).join(' and ');
  const advice = `Choose another output folder for this training set (one folder per training set), or move ${there} out of ${folder} first.`;
  if (text !== null && recorded === null) {
    throw new UserError(
      `${path} is not a Training Set Maker run record, and this run would replace it. ${advice}`,
    );
  }
  if (text === null && !interrupted && existsSync(join(folder, CONFIG_YML))) {
    // a config.yml without the run.json a run writes with it is not a run's: the user's own
    throw new UserError(
      `${join(folder, CONFIG_YML)} was not written by a run (no ${RUN_JSON} beside it), and this run would replace it with the project as run. ${advice}`,
    );
  }
  const mine = basename(outPath);
  const recordedThere = recorded !== null && existsSync(join(folder, recorded.name));
  if (recorded?.byJob && recordedThere) {
    throw new UserError(
      `${folder} holds ${recorded.name} and the ${RUN_JSON} that an exported LSDB job wrote (tsm export --target lsdb); tsm run does not replace them. ${advice}`,
    );
  }
  // an output is replaced only when the run.json here names it: a re-run of the same output
  // (the same training set in another format finds its own file there only if the user put it)
  const recordedMine = recorded !== null && !recorded.byJob && recorded.name === mine;
  if (existsSync(outPath) && !recordedMine) {
    throw new UserError(
      `${outPath} already exists, and no ${RUN_JSON} of an earlier run of this training set in ${folder} names it: tsm run does not replace what it did not write. Move it out of the way, or choose another output folder or name.`,
    );
  }
  if (recorded === null || !recordedThere) return warnings;
  if (recorded.name === mine) return warnings;
  if (stem(recorded.name) === stem(mine)) {
    return [
      ...warnings,
      `${recorded.name} from an earlier run of this training set stays in ${folder}; ${RUN_JSON} and ${CONFIG_YML} there now describe ${mine}.`,
    ];
  }
  throw new UserError(
    interrupted
      ? `${folder} holds the training set ${recorded.name} from a run killed while saving (${COMMIT_JOURNAL} names its files), which this run would replace. Choose another output folder for this training set, or move ${recorded.name}, ${CONFIG_YML} and ${COMMIT_JOURNAL} out of ${folder} first.`
      : `${folder} already holds the training set ${recorded.name}, whose ${RUN_JSON} and ${CONFIG_YML} this run would replace. ${advice}`,
  );
}

/**
 * The file name of the output a run.json text records, and whether an exported LSDB job wrote it
 * (`exportedBy` where tsm run writes `tsmVersion`); null when it is no run record.
 */
function recordedOutput(text: string): { name: string; byJob: boolean } | null {
  try {
    const record = JSON.parse(text) as {
      tsmVersion?: unknown;
      exportedBy?: unknown;
      output?: { path?: unknown };
    };
    const path = record?.output?.path;
    const byJob = typeof record?.exportedBy === 'string';
    if ((typeof record?.tsmVersion !== 'string' && !byJob) || typeof path !== 'string' || !path)
      return null;
    return { name: basename(path), byJob };
  } catch {
    return null;
  }
}

function stem(fileName: string): string {
  return fileName.replace(/\.[^.]*$/, '');
}
