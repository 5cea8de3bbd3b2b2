/**
 * One training-set run (DESIGN.md "Data flow"): resolve and plan (run-plan.ts), crossmatch +
 * photometry per aligned pixel in the worker pool (trainingset-task.ts), rows streamed to a spill
 * file while only key columns stay in memory, then the decision pass (unique galaxies,
 * one-to-one, split; decisions.ts), then the rows streamed again into the output writer, then
 * `run.json` and `config.yml`, renamed into place with the output (run-commit.ts). A Parquet output where no rule drops rows skips the spill: its
 * columns are encoded into the output as the pixels arrive and only is_training_set is written
 * after the decisions (parquet-early-writer.ts). Cancelling stops the workers and removes every
 * partial output.
 */
import { rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Schema, Table } from 'apache-arrow';
import type { HttpOptionsInput, HttpStats } from '../hats/http-options';
import { HttpSession } from '../hats/http-session';
import { CancelledError, UserError, cancellationOf, throwIfCancelled } from '../errors';
import { collectGarbage } from './collect-garbage';
import { DecisionKeys, type Decisions } from './decisions';
import { tuneV8 } from './v8-tuning';
import { emptyLike, emptyOutputTable, noMatchWarning } from './empty-output';
import {
  earlyOutput,
  finalBatch,
  SPECZ_SUFFIX,
  TRAINING_FLAG_COLUMN,
  trainingFlagColumn,
  unsuffixSpecz,
} from './output-columns';
import { removeStalePartials } from '../io/atomic';
import { folderError, makeWritableFolder, removeEmptyFolders } from '../io/make-folder';
import { fitsColumnNamesWarning } from '../io/fits-writer';
import { EarlyParquetWriter } from '../io/parquet-early-writer';
import { parquetSchemaFor } from '../io/parquet-encode';
import { lockOutputFolder } from './output-lock';
import { outputPath, writeOutput } from './output-writer';
import { outputUnits } from './output-units';
import type { RunProgress, RunStage } from './progress';
import { sanitizeName } from './project';
import { DUST_MAPS, projectForFile, type Project, type SpeczColumns } from './project-schema';
import { autoWorkers, runSize } from './auto-workers';
import { defaultWorkers, WorkerPool } from './pool';
import { runPixels } from './run-pixels';
import { RemoteMeter } from './remote-stats';
import { planRun, resolvePath, type RunPlan } from './run-plan';
import { commitRun, removeStaleCommitPartials } from './run-commit';
import {
  appVersion,
  checkRunRecordFolder,
  CONFIG_YML,
  configYmlText,
  RUN_JSON,
  runJsonText,
} from './run-record';
import { planRecord } from './plan-record';
import { NondetectionCounter } from './nondetections';
import { countEbvColumn, ebvValuesWarning, emptyEbvCounts } from '../photometry/ebv-values';
import { StreamingSpill } from './spill';
import { ONE_TO_ONE_RULE, UNIQUE_GALAXY_RULE } from '../trainingset/unique-galaxies';
import type { SplitReport } from '../trainingset/split';
import type { UniqueGalaxyReport } from '../trainingset/unique-galaxies';

export interface RunTrainingSetOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /**
   * Worker threads; 0 runs the tasks in this thread. Default: `autoWorkers` of the planned run
   * (auto-workers.ts).
   */
  workers?: number;
  /** App data folder (registered catalogs, dust maps). */
  dataDir?: string;
  /** Folder for relative paths of the project (its file's folder). Default the cwd. */
  baseDir?: string;
  /** Dust-map folder; default `<dataDir>/dustmaps`. */
  dustMapFolder?: string | null;
  /** Remote settings (cache folder, offline, ...) for http(s) catalogs. */
  remote?: HttpOptionsInput;
  /** The project file, for the run record. */
  projectFile?: string | null;
  /**
   * Encode a Parquet output's columns while the crossmatch runs where that applies (default;
   * parquet-early-writer.ts). false writes it after the decisions like every other format: the
   * same file, later (tests compare the two).
   */
  encodeEarly?: boolean;
}

export interface RunCounts {
  /** Spec-z rows in the catalog (NaN when a HATS catalog does not say). */
  speczIn: number;
  /** Crossmatch output rows with a photometric match. */
  matchedRows: number;
  /** Spec-z rows with at least one match (rows, as speczIn: duplicates count each time). */
  matchedSpecz: number;
  /** Spec-z rows without a match (dropped by an inner join, kept by a left join). */
  unmatchedSpecz: number;
  written: number;
  train: number;
  test: number;
}

export interface RunResult {
  outputPath: string;
  runJsonPath: string;
  configPath: string;
  format: Project['output']['format'];
  seed: number;
  counts: RunCounts;
  uniqueGalaxies: UniqueGalaxyReport | null;
  oneToOneDropped: number | null;
  split: SplitReport;
  pixels: number;
  /** Worker threads of the crossmatch (0: it ran in the main thread). */
  workers: number;
  bytesRead: number;
  /** What the run fetched from http(s) catalogs (per URL); null when every catalog was local. */
  remote: HttpStats | null;
  bytesWritten: number;
  columns: string[];
  /**
   * The spec-z columns as the output names them (before a `_specz` suffix): a file's radians
   * `ra_rad` is written in degrees as `ra` (specz-source.ts).
   */
  speczColumns: SpeczColumns;
  elapsedMs: number;
  /**
   * What the user should know about a run that succeeded (e.g. that nothing matched, so the
   * training set is empty); also in run.json and the progress log.
   */
  warnings: string[];
}

/** Beside the output while the run is on: the rows kept for writing after the decisions. */
const SPILL_SUFFIX = '.rows.partial';

/** A seed for projects that leave it null: recorded in run.json and config.yml. */
/** The crossmatch output's name of photometric column `column`. */
function outputName(plan: RunPlan, column: string): string {
  return plan.columns.right.find((c) => c.from === column)?.to ?? column;
}

/**
 * What the run says of rows whose ra or dec is NaN or infinite: they have no position, so they
 * never match (a null one is refused when read).
 */
export function noPositionWarnings(
  plan: Pick<RunPlan, 'specz' | 'photometry'>,
  join: Project['crossmatch']['join'],
  speczRows: number,
  photometryRows: ReadonlyMap<string, number>,
): string[] {
  const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  const has = (n: number) => (n === 1 ? 'has' : 'have');
  const out: string[] = [];
  if (speczRows > 0) {
    const { location, raColumn, decColumn } = plan.specz.catalog;
    out.push(
      `specz: ${rows(speczRows)} of the spec-z catalog ${location} ${has(speczRows)} no position (${raColumn} or ${decColumn} NaN or infinite), so ${speczRows === 1 ? 'it matches' : 'they match'} nothing: ${join === 'left' ? 'the left join keeps them without photometry' : 'the inner join leaves them out of the training set'}. Fix or remove those rows.`,
    );
  }
  let photometric = 0;
  let partitions = 0;
  for (const n of photometryRows.values()) {
    photometric += n;
    if (n > 0) partitions++;
  }
  if (photometric > 0) {
    const { location, raColumn, decColumn } = plan.photometry;
    out.push(
      `photometry.location: ${rows(photometric)} of the photometric catalog ${location} (in ${partitions} of the ${photometryRows.size} partition${photometryRows.size === 1 ? '' : 's'} the run read) ${has(photometric)} no position (${raColumn} or ${decColumn} NaN or infinite), so ${photometric === 1 ? 'it is' : 'they are'} never matched and not in the training set. Fix those rows in the catalog if they should be matched.`,
    );
  }
  return out;
}

function drawSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * The project as run, its paths made absolute: config.yml sits in the output folder, where paths
 * relative to the project file would name other files (`tsm run <out>/config.yml` repeats the run).
 */
export function withAbsolutePaths(project: Project, baseDir: string): Project {
  const { specz, photometry, output } = project;
  const map = photometry.dereddening.map;
  return {
    ...project,
    specz: specz.path ? { ...specz, path: resolvePath(specz.path, baseDir) } : specz,
    photometry: {
      ...photometry,
      location: resolvePath(photometry.location, baseDir),
      dereddening: {
        ...photometry.dereddening,
        map: (DUST_MAPS as readonly string[]).includes(map) ? map : resolvePath(map, baseDir),
      },
    },
    output: { ...output, folder: resolvePath(output.folder, baseDir) },
  };
}

/** `work()`, calling `beat` every second while it is not done. */
async function withHeartbeat<T>(work: () => Promise<T>, beat: () => void): Promise<T> {
  const timer = setInterval(beat, 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Builds a training set from a validated project. Throws UserError / CancelledError. */
export async function runTrainingSet(
  project: Project,
  options: RunTrainingSetOptions = {},
): Promise<RunResult> {
  tuneV8();
  const folder = resolvePath(project.output.folder, options.baseDir ?? process.cwd());
  const unlock = await lockOutputFolder(folder);
  try {
    return await runUnlocked(project, options);
  } finally {
    await unlock();
  }
}

async function runUnlocked(project: Project, options: RunTrainingSetOptions): Promise<RunResult> {
  const started = Date.now();
  const { signal } = options;
  let last: RunProgress = {
    stage: 'resolve',
    pixelsDone: 0,
    pixelsTotal: 0,
    rowsMatched: 0,
    bytesRead: 0,
    elapsedMs: 0,
  };
  const emit = (stage: RunStage, patch: Partial<RunProgress> = {}) => {
    last = { ...last, ...patch, stage, elapsedMs: Date.now() - started };
    options.onProgress?.(last);
  };
  const seed = project.split.seed ?? drawSeed();
  const baseDir = options.baseDir ?? process.cwd();
  const asRun: Project = withAbsolutePaths(
    { ...project, split: { ...project.split, seed } },
    baseDir,
  );
  const folder = resolvePath(project.output.folder, baseDir);
  const safeName = sanitizeName(project.name);
  const outPath = outputPath(folder, safeName, project.output.format);
  const spill = new StreamingSpill(`${outPath}${SPILL_SUFFIX}`);
  // the main thread's requests (opening the catalogs) answer this run's cancel, even mid-retry
  const session = new HttpSession({ ...(options.remote ?? {}), signal });
  const meter = new RemoteMeter(session);
  /** Progress fields of remote reads (only once something remote was touched). */
  const remoteProgress = (): Partial<RunProgress> => {
    if (!meter.used()) return {};
    const t = meter.totals();
    return { bytesDownloaded: t.bytesDownloaded, bytesFromCache: t.bytesFromCache };
  };
  let retriesSaid = 0;
  let workers = options.workers ?? defaultWorkers();
  let pool: WorkerPool | undefined;
  /**
   * The Parquet output's columns but is_training_set, encoded while the pixels arrive when no
   * rule drops rows (parquet-early-writer.ts); decided at the first pixel with rows (null: the
   * rows are spilled and written after the decisions instead).
   */
  let early: EarlyParquetWriter | null | undefined;
  /** The output folder and parents this run made: removed again if it fails with them empty. */
  let madeFolders: string[] = [];
  try {
    // the worker threads load their code while the catalogs are opened and the run planned
    if (workers > 0) pool = new WorkerPool({ workers, eager: true });
    const plan: RunPlan = await withHeartbeat(
      () =>
        planRun(project, {
          ...options,
          baseDir,
          session,
          onStep: (message) => emit('resolve', { message, ...remoteProgress() }),
          // no message: the app's log adds a line per message
          onSpeczRead: (speczRead) =>
            emit('resolve', { speczRead, message: undefined, ...remoteProgress() }),
        }),
      () => {
        // a sign of life while a slow server is asked (elapsed time, bytes, retries)
        const retries = meter.totals().retries;
        const retried = retries > retriesSaid;
        retriesSaid = retries;
        // a message only when there is news: the app's log adds a line per message
        emit('resolve', {
          ...remoteProgress(),
          message: retried
            ? `The server is slow or failing: ${retries} ${retries === 1 ? 'retry' : 'retries'} so far`
            : undefined,
        });
      },
    );
    throwIfCancelled(signal);
    const chosen = options.workers ?? autoWorkers(runSize(plan));
    if (chosen > workers) {
      // a run that reads far more than it writes, so the main thread would mostly wait: the
      // pool started for the usual count gives way to one with a thread per core
      void pool?.destroy().catch(() => undefined);
      workers = chosen;
      pool = new WorkerPool({ workers, eager: true });
    }
    emit('plan', {
      speczRead: undefined,
      pixelsTotal: plan.tasks.length,
      message: `${plan.tasks.length} aligned pixel${plan.tasks.length === 1 ? '' : 's'} to crossmatch`,
    });
    // made, and checked to take files, before the crossmatch rather than when writing
    madeFolders = await makeWritableFolder(folder, 'output folder');
    const recordWarnings = await checkRunRecordFolder(folder, outPath);
    const leftovers = [
      ...(await removeStalePartials(outPath, [SPILL_SUFFIX])),
      ...(await removeStaleCommitPartials(folder)),
    ];
    const t0 = Date.now();
    let keys: DecisionKeys | null = new DecisionKeys(
      {
        speczId: plan.speczColumns.id ? plan.speczColumns.id + SPECZ_SUFFIX : null,
        speczRa: plan.speczColumns.ra + SPECZ_SUFFIX,
        speczDec: plan.speczColumns.dec + SPECZ_SUFFIX,
        z: plan.speczColumns.z + SPECZ_SUFFIX,
        zFlag: plan.speczColumns.zFlag ? plan.speczColumns.zFlag + SPECZ_SUFFIX : null,
        instrumentType: plan.speczColumns.instrumentType
          ? plan.speczColumns.instrumentType + SPECZ_SUFFIX
          : null,
        photometricId:
          plan.profile.idColumn && plan.columns.right.some((c) => c.to === plan.profile.idColumn)
            ? plan.profile.idColumn
            : null,
        // as the crossmatch output names them (a name the run writes gets _catalog)
        photometricRa: outputName(plan, plan.photometry.raColumn),
        photometricDec: outputName(plan, plan.photometry.decColumn),
        dist: '_dist_arcsec',
      },
      {
        uniqueGalaxies: project.uniqueGalaxies.enabled,
        oneToOne: project.uniqueGalaxies.oneToOne,
        splitMethod: project.split.method,
      },
      // at most n_neighbors rows per spec-z row (unknown: NaN, the columns then grow)
      plan.specz.rowsIn * project.crossmatch.nNeighbors,
    );
    const nondetections = new NondetectionCounter(plan.taskPhotometry);
    const ebvCounts = emptyEbvCounts();
    let speczNoPosition = 0;
    /** Photometric rows without a position per partition read (tasks may share a partition). */
    const photometryNoPosition = new Map<string, number>();
    let columnNames: string[] | null = null;
    /** 0 rows with the output columns, for a run whose every pixel gave no rows. */
    let empty: Table | null = null;
    const warnings: string[] = leftovers.length
      ? [
          `Removed ${leftovers.join(', ')} from ${folder}: an earlier run writing ${basename(outPath)} there stopped before it finished and left ${leftovers.length === 1 ? 'it' : 'them'}.`,
        ]
      : [];
    warnings.push(...recordWarnings);
    warnings.push(...plan.notes);
    // what the spec-z file holds that a registered catalog would not (specz-source.ts)
    warnings.push(...(plan.specz.notes ?? []));
    let speczRowsMatched = 0;
    const onRetry = (message: string) => {
      warnings.push(message);
      emit('crossmatch', { message: `Warning: ${message}` });
    };
    for await (const done of runPixels(plan, {
      workers,
      signal,
      onRetry,
      pool,
    })) {
      meter.addWorker(done.remote);
      const { table } = done;
      speczRowsMatched += done.leftRowsMatched;
      speczNoPosition += done.noPosition.left;
      if (done.rightPartition) photometryNoPosition.set(done.rightPartition, done.noPosition.right);
      const dist = table.getChild('_dist_arcsec');
      const matchedRows = dist ? dist.length - dist.nullCount : 0;
      columnNames ??= table.schema.fields.map((f) => f.name);
      empty ??= emptyLike(table);
      keys.add(table);
      nondetections.add(table, '_dist_arcsec');
      countEbvColumn(ebvCounts, table, '_dist_arcsec');
      if (table.numRows > 0 && early === undefined) {
        early = options.encodeEarly === false ? null : earlyWriterFor(project, outPath, table);
      }
      if (early) await early.add(earlyOutput(table));
      else await spill.append(table);
      const pixelsDone = last.pixelsDone + 1;
      const elapsed = Date.now() - t0;
      emit('crossmatch', {
        pixelsDone,
        rowsMatched: last.rowsMatched + matchedRows,
        bytesRead: last.bytesRead + done.bytesRead,
        etaMs: Math.round((elapsed / pixelsDone) * (plan.tasks.length - pixelsDone)),
        message: undefined,
        ...remoteProgress(),
      });
    }
    await spill.finish();
    await early?.endRows();
    throwIfCancelled(signal);
    const crossmatchMs = Date.now() - t0;
    // a map of NaN or negative values (a map of another quantity, a wrong column) was applied
    // without a word: every dereddened magnitude NaN, or fainter
    const badEbv = plan.dustMap ? ebvValuesWarning(plan.dustMap.info, ebvCounts) : null;
    if (badEbv) warnings.push(`photometry.dereddening.map: ${badEbv}`);
    // a NaN or infinite ra/dec never matches, and was dropped without a word
    warnings.push(
      ...noPositionWarnings(plan, project.crossmatch.join, speczNoPosition, photometryNoPosition),
    );
    collectGarbage(); // the pixels' buffers, before the decision pass allocates (collect-garbage.ts)
    let noMatch: string | undefined;
    if (last.rowsMatched === 0) {
      // Not an error: the run writes an empty training set with every column (and says why).
      // the locations the user gave: a collection's catalog is a folder inside the one given
      noMatch = noMatchWarning(
        asRun.specz.path ?? plan.specz.catalog.location,
        asRun.photometry.location,
        project.crossmatch.radiusArcsec,
      );
      warnings.push(noMatch);
      empty ??= await emptyOutputTable(plan);
      columnNames ??= empty.schema.fields.map((f) => f.name);
    }
    emit(project.uniqueGalaxies.enabled ? 'unique-galaxies' : 'split', {
      etaMs: undefined,
      message: noMatch && `Warning: ${noMatch}`,
    });
    const t1 = Date.now();
    const decisions = keys.decide({
      uniqueGalaxies: project.uniqueGalaxies.enabled,
      oneToOne: project.uniqueGalaxies.oneToOne,
      split: {
        method: project.split.method,
        trainFraction: project.split.trainFraction,
        seed,
        zBins: project.split.zBins,
      },
    });
    // the key columns (~40 MB at a million rows) are not needed for writing: let them go
    keys = null;
    const decideMs = Date.now() - t1;
    collectGarbage(); // the keys and the pass's arrays, before the write allocates
    warnings.push(...decisionWarnings(decisions, project.uniqueGalaxies.enabled));
    throwIfCancelled(signal);
    emit('write', {
      message: `Writing ${decisions.rowsOut} row${decisions.rowsOut === 1 ? '' : 's'} to ${outPath}`,
    });
    const t2 = Date.now();
    const withTie = project.uniqueGalaxies.enabled;
    let finalColumns: string[] = [];
    async function* batches(): AsyncGenerator<Table> {
      let offset = 0;
      // one schema for every output batch: the first batch's (all fields nullable)
      let schema: Schema | undefined;
      let yielded = false;
      for await (const t of spill.tables()) {
        throwIfCancelled(signal);
        const out = finalBatch(t, offset, decisions, withTie, schema);
        schema ??= out.schema;
        offset += t.numRows;
        if (finalColumns.length === 0) finalColumns = out.schema.fields.map((f) => f.name);
        if (out.numRows > 0) {
          yielded = true;
          yield out;
        }
      }
      if (!yielded) {
        // No row to write: one 0-row batch gives every writer the output's columns and types.
        const none = finalBatch(
          empty ?? (await emptyOutputTable(plan)),
          0,
          decisions,
          withTie,
          schema,
        );
        finalColumns = none.schema.fields.map((f) => f.name);
        yield none;
      }
    }
    const names = unsuffixSpecz(columnNames ?? []);
    const metadata: Record<string, string> = {
      training_set: project.name,
      tsm_version: appVersion(),
      radius_arcsec: String(project.crossmatch.radiusArcsec),
      n_neighbors: String(project.crossmatch.nNeighbors),
      join: project.crossmatch.join,
      unique_galaxies: String(project.uniqueGalaxies.enabled),
      one_to_one: String(project.uniqueGalaxies.oneToOne),
      split_method: project.split.method,
      train_fraction: String(project.split.trainFraction),
      random_seed: String(seed),
    };
    let written: { path: string; rows: number; bytes: number };
    const raOut = names.get(plan.speczColumns.ra + SPECZ_SUFFIX) ?? plan.speczColumns.ra;
    const decOut = names.get(plan.speczColumns.dec + SPECZ_SUFFIX) ?? plan.speczColumns.dec;
    const units = outputUnits({
      profile: plan.profile,
      degrees: [
        raOut,
        decOut,
        outputName(plan, plan.photometry.raColumn),
        outputName(plan, plan.photometry.decColumn),
      ],
      columns: [...names.values()],
    });
    if (early) {
      if (decisions.rowsOut !== early.rows) {
        throw new Error(`decision pass kept ${decisions.rowsOut} of ${early.rows} rows`);
      }
      finalColumns = early.schema.fields.map((f) => f.name);
      written = await early.finish(
        (offset, batchRows) => trainingFlagColumn(decisions, offset, batchRows),
        { metadata, units, signal, deferCommit: true },
      );
    } else {
      written = await writeOutput(batches(), {
        format: project.output.format,
        path: outPath,
        metadata,
        units,
        // as the early writer stores it (its room is reserved before its values are known), so
        // a project's Parquet file is the same whichever way it was written
        uncompressedColumns: [TRAINING_FLAG_COLUMN],
        raColumn: raOut,
        decColumn: decOut,
        deferCommit: true,
        signal,
      });
    }
    const writeMs = Date.now() - t2;
    await spill.remove();
    const fitsNames =
      project.output.format === 'fits' ? fitsColumnNamesWarning(finalColumns) : undefined;
    if (fitsNames) warnings.push(fitsNames);
    const speczIn = plan.specz.rowsIn;
    const counts: RunCounts = {
      speczIn,
      matchedRows: last.rowsMatched,
      matchedSpecz: speczRowsMatched,
      unmatchedSpecz: Number.isFinite(speczIn) ? speczIn - speczRowsMatched : decisions.unmatched,
      written: written.rows,
      train: decisions.split.train,
      test: decisions.split.test,
    };
    const remote = meter.used() ? meter.stats() : null;
    const elapsedMs = Date.now() - started;
    const record = {
      tsmVersion: appVersion(),
      node: process.version,
      status: 'done',
      warnings,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date().toISOString(),
      elapsedMs,
      timingsMs: { crossmatch: crossmatchMs, decisions: decideMs, write: writeMs },
      /** Worker threads of the crossmatch (0: it ran in the main thread). */
      workers,
      projectFile: options.projectFile ?? null,
      project: projectForFile(asRun),
      ...planRecord(plan, last.bytesRead, nondetections.result()),
      remote: remote ? { settings: options.remote ?? null, ...remote } : null,
      uniqueGalaxies: {
        enabled: project.uniqueGalaxies.enabled,
        rule: project.uniqueGalaxies.enabled ? UNIQUE_GALAXY_RULE : null,
        zFlags: decisions.flags,
        report: decisions.uniqueGalaxies,
        oneToOne: project.uniqueGalaxies.oneToOne,
        oneToOneRule: project.uniqueGalaxies.oneToOne ? ONE_TO_ONE_RULE : null,
        oneToOneDropped: decisions.oneToOneDropped,
      },
      split: decisions.split,
      counts,
      output: {
        path: written.path,
        format: project.output.format,
        bytes: written.bytes,
        columns: finalColumns,
      },
    };
    const configPath = join(folder, CONFIG_YML);
    const runJsonPath = join(folder, RUN_JSON);
    await commitRun(folder, outPath, {
      configYml: configYmlText(asRun),
      runJson: runJsonText(record),
    });
    emit('done', {
      etaMs: 0,
      ...remoteProgress(),
      message: `Wrote ${written.rows} row${written.rows === 1 ? '' : 's'} to ${written.path}`,
    });
    return {
      outputPath: written.path,
      runJsonPath,
      configPath,
      format: project.output.format,
      seed,
      counts,
      uniqueGalaxies: decisions.uniqueGalaxies,
      oneToOneDropped: decisions.oneToOneDropped,
      split: decisions.split,
      pixels: plan.tasks.length,
      workers,
      bytesRead: last.bytesRead,
      remote,
      bytesWritten: written.bytes,
      columns: finalColumns,
      speczColumns: plan.speczColumns,
      elapsedMs,
      warnings,
    };
  } catch (err) {
    await pool?.destroy().catch(() => undefined);
    await spill.remove().catch(() => undefined);
    await early?.abort().catch(() => undefined);
    await rm(`${outPath}.partial`, { recursive: true, force: true }).catch(() => undefined);
    await removeEmptyFolders(madeFolders);
    // a writer stopped by the cancel may fail with an error of its own: the cancel's reason wins
    const cancellation =
      err instanceof CancelledError ? err : signal?.aborted ? cancellationOf(signal) : null;
    const failure = cancellation
      ? null
      : ((await outputFolderGone(err, folder)) ?? folderError(err, folder, 'output folder') ?? err);
    emit(cancellation ? 'cancelled' : 'failed', {
      etaMs: undefined,
      message: (cancellation ?? (failure as Error)).message,
    });
    if (cancellation) throw cancellation;
    throw failure;
  }
}

/**
 * The error of a run whose output folder was removed while it ran (deleted, or its disk
 * unmounted): Node's "ENOENT: no such file or directory, open '<folder>/<name>.partial'" would
 * read as a path to check. Null when `err` is not that or the folder is there.
 */
async function outputFolderGone(err: unknown, folder: string): Promise<UserError | null> {
  if ((err as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return null;
  const there = await stat(folder).then(
    () => true,
    (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
  );
  if (there) return null;
  return new UserError(
    `The output folder ${folder} was removed while the run was in progress (deleted, or its disk unmounted), so nothing was written: make sure the folder is there, or choose another output folder, and run again.`,
  );
}

/**
 * The early-encoding writer of a run's output (parquet-early-writer.ts), or null where it does
 * not apply: other formats, a rule that drops rows (unique galaxies, one-to-one: the row groups
 * would change), or columns the Parquet encoder does not map. `first` is the first pixel's table.
 */
function earlyWriterFor(
  project: Project,
  outPath: string,
  first: Table,
): EarlyParquetWriter | null {
  if (project.output.format !== 'parquet') return null;
  if (project.uniqueGalaxies.enabled || project.uniqueGalaxies.oneToOne) return null;
  // the output's schema as finalBatch makes it: every row kept, is_training_set last
  const none = { status: new Uint8Array(0), isTrainingSet: new Uint8Array(0) };
  const schema = finalBatch(first.slice(0, 0), 0, none, false).schema;
  if (!parquetSchemaFor(schema)) return null;
  return new EarlyParquetWriter(outPath, schema, 1);
}

/**
 * What the decision pass did that the user may not expect: z_flag values or instrument types that
 * unique galaxies could not rank (CRC counts them as missing / unknown), and a split with an
 * empty side.
 */
export function decisionWarnings(decisions: Decisions, uniqueGalaxies: boolean): string[] {
  const out: string[] = [];
  const invalid = decisions.flags?.invalid ?? 0;
  if (uniqueGalaxies && invalid > 0) {
    out.push(
      `z_flag: ${rowsText(invalid)} a value that is neither a flag of the CRC scale (0-4, 6) nor, as the whole column would need to be, a confidence in [0, 1]; unique galaxies ranked ${invalid === 1 ? 'it' : 'them'} as missing, the lowest.`,
    );
  }
  const types = decisions.unknownInstrumentTypes;
  if (types && types.rows > 0) {
    const values = types.values.map((v) => `'${v}'`).join(', ');
    out.push(
      `instrument type: ${rowsText(types.rows)} a value other than s, g or p (${values}); unique galaxies ranked ${types.rows === 1 ? 'it' : 'them'} as unknown, below p (photometric).`,
    );
  }
  const { train, test, trainFraction, method, zBins, groups } = decisions.split;
  if (train + test > 0 && (train === 0 || test === 0)) {
    const bins = method === 'stratified' ? ` in ${zBins} redshift bins` : '';
    out.push(
      `The split put every row in the ${test === 0 ? 'training' : 'test'} set: ${groups} group${groups === 1 ? '' : 's'} of spec-z rows${bins} ${groups === 1 ? 'is' : 'are'} too few for a training fraction of ${trainFraction} to give both sides rows${bins ? '; use fewer bins or more rows' : ''}.`,
    );
  }
  return out;
}

const rowsText = (n: number) =>
  n === 1 ? '1 row holds' : `${n.toLocaleString('en-US')} rows hold`;
