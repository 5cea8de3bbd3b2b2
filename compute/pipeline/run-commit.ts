/**
 * Saves a run's output, `config.yml` and `run.json` together. Each is renamed into place from its
 * complete `.partial`, one after another; so that a process killed between two renames cannot
 * leave a folder that looks finished but mixes two runs, the renames happen under a journal:
 *
 *   1. `run.commit.json` is written, naming the files about to be replaced;
 *   2. the old `run.json` is removed;
 *   3. the output, then `config.yml`, then `run.json` are renamed into place;
 *   4. the journal is removed.
 *
 * At every instant the folder holds the previous complete set, or a set without `run.json` beside
 * the journal, or the new complete set. The next run into the folder reads the journal
 * (run-record.ts `checkRunRecordFolder`): the files it names are the tool's own.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../errors';
import { commitPartial, partialPath, writeJsonAtomic } from '../io/atomic';

export const COMMIT_JOURNAL = 'run.commit.json';
const RUN_JSON = 'run.json';
const CONFIG_YML = 'config.yml';

/** What `run.commit.json` holds. */
export interface CommitJournal {
  /** The output's file or folder name. */
  output: string;
  /** Every name being replaced: the output, `config.yml`, `run.json`. */
  files: string[];
}

/**
 * Renames the complete `<outPath>.partial` into place with `config.yml` and `run.json` (texts
 * given), under the journal (see above). A failure before the journal is written leaves the
 * previous set as it was.
 */
export async function commitRun(
  folder: string,
  outPath: string,
  files: { configYml: string; runJson: string },
): Promise<void> {
  const config = join(folder, CONFIG_YML);
  const record = join(folder, RUN_JSON);
  try {
    await writeFile(partialPath(config), files.configYml);
    await writeFile(partialPath(record), files.runJson);
    const output = basename(outPath);
    const journal: CommitJournal & { tsmCommit: 1 } = {
      tsmCommit: 1,
      output,
      files: [output, CONFIG_YML, RUN_JSON],
    };
    await writeJsonAtomic(join(folder, COMMIT_JOURNAL), journal);
    testKill(1);
    await rm(record, { force: true });
    testKill(2);
    await commitPartial(outPath);
    testKill(3);
    await rename(partialPath(config), config);
    testKill(4);
    await rename(partialPath(record), record);
    testKill(5);
    await rm(join(folder, COMMIT_JOURNAL), { force: true });
  } catch (err) {
    await rm(partialPath(config), { force: true }).catch(() => undefined);
    await rm(partialPath(record), { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * The journal in `folder`: null when there is none, a UserError when a file of that name is not
 * one (the user's own, which a run would replace).
 */
export async function readCommitJournal(folder: string): Promise<CommitJournal | null> {
  const path = join(folder, COMMIT_JOURNAL);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(text) as { tsmCommit?: unknown; output?: unknown; files?: unknown };
    if (
      j?.tsmCommit === 1 &&
      typeof j.output === 'string' &&
      j.output === basename(j.output) &&
      Array.isArray(j.files) &&
      j.files.every((f) => typeof f === 'string' && f === basename(f))
    ) {
      return { output: j.output, files: j.files as string[] };
    }
  } catch {
    // not JSON: not ours
  }
  throw new UserError(
    `${path} is not the note a Training Set Maker run writes while saving its files, and a run would replace it. Move it out of ${folder}, or choose another output folder.`,
  );
}

/**
 * `config.yml.partial`, `run.json.partial` and `run.commit.json.partial` a killed run left in
 * `folder`, removed; returns their names. Call it holding the folder's lock.
 */
export async function removeStaleCommitPartials(folder: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of [CONFIG_YML, RUN_JSON, COMMIT_JOURNAL].map(partialPath)) {
    try {
      await rm(join(folder, name));
      removed.push(name);
    } catch {
      // not there
    }
  }
  return removed;
}

/**
 * TEST ONLY: `TSM_TEST_KILL_IN_COMMIT=<step>` SIGKILLs this process right after step 1-5 of
 * `commitRun` (1: journal written, 2: old run.json removed, 3: output, 4: config.yml, 5: run.json
 * renamed), so a test can check every state a power loss can leave. Read from the environment
 * only.
 */
export const KILL_IN_COMMIT_ENV = 'TSM_TEST_KILL_IN_COMMIT';

function testKill(step: number): void {
  if (process.env[KILL_IN_COMMIT_ENV] === String(step)) process.kill(process.pid, 'SIGKILL');
}
