import { homedir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CancelledError, UserError, cancellationOf, errorMessage } from '../errors';
import type { HttpOptionsInput } from '../hats/http-options';
import { createProgressPrinter, type ProgressMode } from '../pipeline/progress-printer';
import {
  BOOLEAN_FLAGS,
  VALUE_FLAGS,
  fieldFlags,
  namingFlags,
  projectFromFlags,
} from '../pipeline/project-flags';
import type { RunProgress } from '../pipeline/progress';
import { runTrainingSet, withAbsolutePaths, type RunResult } from '../pipeline/run';
import {
  finishedRecordFields,
  keepRecordFresh,
  newId,
  PROCESS_TOKEN,
  runOwner,
  runRecordPath,
  writeRunRecord,
} from '../pipeline/app-record';
import { cancelledFrom, watchCancelRequests } from '../pipeline/cancel-request';
import { RunLogWriter } from '../pipeline/run-log-file';
import { safeFileName } from '../pipeline/sanitize-name';
import type { Project } from '../pipeline/project';
import type { RunRecord } from '../../preload/api';
import { summaryLines } from '../pipeline/run-summary';
import type { CliIo, Command } from './command';
import { MAX_WORKERS } from '../pipeline/worker-limit';
import { joinNegativeValues, parseDecimal } from './args';
import { ignoredKeyWarning } from '../pipeline/project';
import { datasetsDirHint } from '../pipeline/project-migrate';

const USAGE = `Usage: tsm run [project.tsm.json | config.yml] [options]

Builds a training set: every spec-z row crossmatched with the nearest photometric object(s),
photometry converted and dereddened, optional unique galaxies, a train/test split column, written
to the chosen format with run.json and config.yml beside it. Options override the project file;
without a file, --specz and --photometry are enough (defaults as in the original form).

Project file:
  project.tsm.json           a saved project (any version), or an original TSM config.yml

Spec-z catalog:
  --specz FILE|DIR           CSV, Parquet, FITS or HDF5 file, or HATS catalog/collection
  --specz-id ID              a registered catalog (in --data-dir)
  --ra COL --dec COL --z COL spec-z columns (default ra, dec, z)
  --id COL --z-flag COL --z-err COL --survey COL --instrument-type COL
                             optional spec-z columns (unique galaxies use id, z-flag, instrument-type;
                             NONE = no such column); without --id a column named like an id
                             (id, objid, ...) is not used, and the run warns; --id NONE says
                             there is none (specz.noIdColumn, kept in config.yml)
Photometric catalog:
  --photometry DIR|URL       HATS catalog or collection (its default margin is used)
  --profile ID               lsst-dp02, lsst-dp1, des-dr2 or generic (default: detected)
  --columns A,B,C            photometric columns to keep (default all)
  --flux-type NAME           auto (the profile's first), cmodel, gaap1p0, psf, ... (default auto)
  --magnitudes | --no-magnitudes
                             convert fluxes to magnitudes (default on)
  --dereddening MAP          none, sfd, sfd-lowres, csfd, planck or the path of a .fits map
                             (default sfd)
  --ebv-scale X              multiply E(B-V), e.g. 0.86 (default 1)
  --dust-maps DIR            dust-map folder (default <data-dir>/dustmaps)
Crossmatch:
  --radius-arcsec R          match radius, 0 < R <= 90 (default 1.0)
  --n-neighbors N            nearest objects per spec-z (default 1)
  --join inner|left          left keeps unmatched spec-z rows (default inner)
Unique galaxies and split:
  --unique-galaxies          one spec-z per photometric object (CRC rules; adds tie_result)
  --one-to-one               each photometric object used once, nearest spec-z wins
  --split random|stratified  train/test split method (default random)
  --train-fraction F         0 < F < 1 (default 0.7)
  --seed N                   split seed (default: drawn, recorded in run.json)
  --z-bins N                 redshift bins of the stratified split (default 10)
Output:
  --name NAME                training set name (file name: sanitized NAME; default tsm)
  --description TEXT
  --format FMT               parquet, csv, fits, hdf5 or hats (default parquet)
  --out DIR                  output folder (default: the project's, else .)
Run:
  --workers N                worker threads; 0 = in this thread (default: cores - 1, at least
                             1, or one per core for a run reading 2M+ photometric rows and
                             50 x (cores - 1) of them per row it can write)
  --data-dir DIR             app data folder: registered catalogs, dust maps (default ~/.tsm-data);
                             given, the run (done, failed or cancelled) is also recorded in
                             DIR/runs/<run id>/record.json, so the app's Runs and Results pages
                             show it (the output stays in --out), follow its log and
                             cancel it (tsm then says "Cancelled from the app (pid N)")
  --cache-dir DIR            disk cache of http(s) catalogs (default $TSM_CACHE_DIR or
                             ~/.cache/training-set-maker/http)
  --cache-max-mb N           disk cache size limit in MB of 10^6 bytes (default
                             $TSM_CACHE_MAX_BYTES bytes, else 2 GiB = 2147.48 MB)
  --offline                  read http(s) catalogs only from the disk cache
  --stall-seconds S          a download stalls when no byte (or under 100 bytes/s) comes for S
                             seconds; it is retried once, then the run stops (default
                             $TSM_STALL_SECONDS, else 30)
  --progress MODE            bar, lines, json (one event per line on stdout) or none
                             (default: bar on a terminal, else lines)

Output columns: spec-z columns (suffix _specz only where the photometry has the same name),
photometric columns, mag_<flux>_<band>, magerr_<flux>_<band>, mag_dered_<flux>_<band>, ebv,
_dist_arcsec, tie_result (with --unique-galaxies), is_training_set (1 train, 0 test).
Ctrl-C stops the workers, removes partial outputs and exits with code 130.`;

function optionSpec() {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    workers: { type: 'string' },
    'data-dir': { type: 'string' },
    'dust-maps': { type: 'string' },
    progress: { type: 'string' },
    'cache-dir': { type: 'string' },
    'cache-max-mb': { type: 'string' },
    offline: { type: 'boolean' },
    'stall-seconds': { type: 'string' },
  };
  for (const flag of Object.keys(VALUE_FLAGS)) options[flag] = { type: 'string' };
  for (const flag of Object.keys(BOOLEAN_FLAGS)) options[flag] = { type: 'boolean' };
  return options;
}

/** --workers of the commands that run worker threads (run, xmatch, demo). */
export function workersOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKERS)
    throw new UserError(
      `--workers must be a whole number from 0 to ${MAX_WORKERS} (got '${value}')`,
    );
  return n;
}

/** The remote settings of --cache-dir, --cache-max-mb, --offline and --stall-seconds (undefined: the defaults). */
function remoteOptions(values: Record<string, unknown>): HttpOptionsInput | undefined {
  const remote: HttpOptionsInput = {};
  if (typeof values['cache-dir'] === 'string') remote.cacheDir = resolve(values['cache-dir']);
  const mb = values['cache-max-mb'];
  if (typeof mb === 'string') {
    const n = parseDecimal(mb);
    if (n === null || !(n > 0))
      throw new UserError(
        `--cache-max-mb must be a number of MB > 0 in decimal notation (got '${mb}')`,
      );
    remote.cacheMaxBytes = Math.round(n * 1_000_000);
  }
  if (values.offline === true) remote.offline = true;
  const stall = values['stall-seconds'];
  if (typeof stall === 'string') {
    const n = parseDecimal(stall);
    if (n === null || !(n > 0) || n > 86_400)
      throw new UserError(
        `--stall-seconds must be a number of seconds above 0, at most 86400 (got '${stall}')`,
      );
    remote.timeoutMs = Math.max(1, Math.round(n * 1000));
  }
  return Object.keys(remote).length > 0 ? remote : undefined;
}

function progressMode(value: string | undefined, io: CliIo): ProgressMode {
  if (value === undefined) return io.isTTY ? 'bar' : 'lines';
  if (!['bar', 'lines', 'json', 'none'].includes(value)) {
    throw new UserError(`--progress must be bar, lines, json or none (got '${value}')`);
  }
  return value as ProgressMode;
}

const isYaml = (file: string) => ['.yml', '.yaml'].includes(extname(file).toLowerCase());
const readText = (file: string) => readFile(file, 'utf8').catch(() => '');

async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    const options = optionSpec();
    parsed = parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UserError(`${(err as Error).message}. See 'tsm run --help'.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(
      `give one project file (got ${positionals.length}: ${positionals.join(', ')})`,
    );
  }
  const file = positionals[0] ? resolve(positionals[0]) : null;
  const project = await projectFromFlags(
    file,
    values as Record<string, string | boolean | undefined>,
    process.cwd(),
    (key) => io.err(`warning: ${ignoredKeyWarning(file ?? '', key)}`),
  );
  const mode = progressMode(values.progress as string | undefined, io);
  const printer = createProgressPrinter(mode, (text) =>
    mode === 'json' ? process.stdout.write(text) : process.stderr.write(text),
  );
  const givenDataDir = values['data-dir'] as string | undefined;
  const dataDir = resolve(givenDataDir ?? join(homedir(), '.tsm-data'));
  const baseDir = file ? dirname(file) : process.cwd();
  const recorder = givenDataDir === undefined ? null : runRecorder(dataDir, project, baseDir, io);
  await recorder?.started();
  // Ctrl-C, or (recorded) a cancel asked by the app on the data folder
  const signal = recorder ? AbortSignal.any([io.signal, recorder.signal]) : io.signal;
  let result;
  try {
    result = await runTrainingSet(project, {
      signal,
      onProgress: (progress) => {
        recorder?.progress(progress);
        printer(progress);
      },
      workers: workersOption(values.workers as string | undefined),
      dataDir,
      dustMapFolder: values['dust-maps'] ? resolve(values['dust-maps'] as string) : undefined,
      baseDir,
      projectFile: file,
      remote: remoteOptions(values),
    });
  } catch (err) {
    // a stage that stops with a plain "Cancelled" (a download aborted): said as its canceller
    // said it ("Cancelled from the app (pid 42)")
    let shown = err instanceof CancelledError && signal.aborted ? cancellationOf(signal) : err;
    // a field a flag set is named by the flag, as the project schema's refusals name it
    if (err instanceof UserError) {
      const byField = fieldFlags(values as Record<string, string | boolean | undefined>);
      const message = namingFlags(err.message, byField);
      // a path of an original config.yml that came from ${DATASETS_DIR}: say how to set it
      const hint = file && isYaml(file) ? datasetsDirHint(message, await readText(file)) : null;
      shown = new UserError(hint ? `${message}; ${hint}` : message);
    }
    printer.end();
    await recorder?.failed(shown, signal);
    throw shown;
  }
  printer.end();
  const recorded = await recorder?.done(result);
  if (mode === 'json') io.out(JSON.stringify(recorded ? { result, record: recorded } : { result }));
  else {
    for (const line of summaryLines(project, result)) io.out(line);
    if (recorded) io.out(`Listed on the app's Runs page (data folder ${dataDir}): ${recorded}`);
  }
  return 0;
}

/**
 * Records a run of `tsm run --data-dir DIR` in DIR/runs/<run id>/record.json as the app records
 * its own runs (main/run-manager.ts), so that the app's Runs page lists it and its Results page
 * shows it; the output stays where the project puts it. From its start the record says "running",
 * names this process as its owner and is written again every few seconds with the progress so far
 * (an app on the same data folder shows it running while this process lives, failed once it is
 * killed); once the run ends it says how. A record that cannot be written at the end is a
 * warning: the training set is written all the same. Meanwhile the progress goes to the record's
 * log file, and a cancel request there (compute/pipeline/cancel-request.ts: the app's Cancel)
 * aborts `signal`, as Ctrl-C does.
 */
function runRecorder(dataDir: string, project: Project, baseDir: string, io: CliIo) {
  const asRun = withAbsolutePaths(project, baseDir);
  const started: RunRecord = {
    id: newId(safeFileName(project.name)),
    name: project.name,
    status: 'running',
    startedAt: new Date().toISOString(),
    project: asRun,
    outputDir: asRun.output.folder,
    owner: runOwner('tsm run'),
  };
  let last: RunProgress | undefined;
  let stopRefreshing: (() => Promise<void>) | null = null;
  const runDir = dirname(runRecordPath(dataDir, started.id));
  const logFile = new RunLogWriter(runDir);
  const asked = new AbortController();
  let stopWatching: (() => Promise<void>) | null = null;
  const save = async (ended: RunRecord): Promise<string | null> => {
    // no refresh of the "running" record after (or over) how it ended; the log is whole first
    await stopWatching?.();
    await logFile.flush();
    await stopRefreshing?.();
    const record = { ...ended, finishedAt: new Date().toISOString(), lastProgress: last };
    try {
      return await writeRunRecord(dataDir, record);
    } catch (err) {
      io.err(
        `warning: the run was not recorded in ${join(dataDir, 'runs')} (${errorMessage(err)}), so the app's Runs page will not list it; make the data folder writable to record the next runs.`,
      );
      return null;
    }
  };
  return {
    /** Aborted when another process asks (a cancel request in the record's folder). */
    signal: asked.signal,
    /** Writes the "running" record and keeps it fresh; one that cannot be written is tried again. */
    async started(): Promise<void> {
      const running = () => writeRunRecord(dataDir, { ...started, lastProgress: last });
      // a data folder that cannot take it now: the end's record says so, if it cannot either
      await running().catch(() => undefined);
      stopRefreshing = keepRecordFresh(running);
      stopWatching = watchCancelRequests(runDir, PROCESS_TOKEN, (request) =>
        asked.abort(new CancelledError(cancelledFrom(request))),
      );
    },
    progress(progress: RunProgress): void {
      last = progress;
      logFile.append(progress);
    },
    async done(result: RunResult): Promise<string | null> {
      return save({ ...started, status: 'done', ...(await finishedRecordFields(result)) });
    },
    async failed(err: unknown, signal: AbortSignal): Promise<void> {
      // a cancel by the user (Ctrl-C) needs no reason, as in the app; one asked from the app
      // says so
      const reason: unknown = signal.reason;
      const from =
        signal.aborted && reason === asked.signal.reason && reason instanceof CancelledError
          ? { error: reason.message }
          : {};
      if (err instanceof CancelledError || signal.aborted)
        await save({ ...started, status: 'cancelled', ...from });
      else await save({ ...started, status: 'failed', error: errorMessage(err) });
    },
  };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'build a training set from a project file or options (crossmatch, photometry, split)',
  usage: USAGE,
  run,
};
