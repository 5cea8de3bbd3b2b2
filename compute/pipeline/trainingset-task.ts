/**
 * The worker task of a training-set run (kind 'trainingset'): one aligned pixel is crossmatched
 * with compute/crossmatch's per-partition kernel (spec-z left, photometry right, margin or border
 * rows), the photometric quality filter is applied before matching, then compute/photometry adds
 * magnitudes, dereddened magnitudes and `ebv`. The result goes back as an Arrow IPC buffer.
 */
import { Table, tableFromIPC, type Schema } from 'apache-arrow';
import { DIST_COLUMN } from '../crossmatch/output';
import { crossmatchPixel, type PixelMatch } from '../crossmatch/pixel-task';
import type { CatalogInfo, CrossmatchTask } from '../crossmatch/worker-task';
import { packTable, transferList, type PackedTable } from '../arrow/packed-table';
import { UserError } from '../errors';
import { openHats } from '../hats/open';
import type { HttpStats } from '../hats/http-options';
import { configureRemoteDefaults, isRemoteLocation } from '../hats/store';
import type { Pixel, PixelCatalog, ReadOptions } from '../hats/types';
import { gatherTable } from '../io/arrow-columns';
import { applyPhotometry } from '../photometry/apply-photometry';
import { equalsMask } from '../photometry/arrow-values';
import type { SurveyProfile } from '../photometry/profiles';
import type { DustMap } from '../photometry/dust-map';
import { openDustMap } from '../photometry/dust-maps';
import { measuredRemote } from './remote-stats';
import { WithTransfer } from './transfer';

/** A dust map as the worker opens it: a name (`sfd`, `sfd-lowres`, ...) and the dust-map folder. */
export interface DustMapRef {
  spec: string;
  folder: string | null;
}

export interface TaskPhotometry {
  profile: SurveyProfile;
  /** Flux type id; null when the profile has none (no photometry columns are added). */
  fluxType: string | null;
  toMagnitudes: boolean;
  dustMap: DustMapRef | null;
  ebvScale: number;
  /**
   * The profile's RA and Dec columns as the crossmatch output names them (`<name>_catalog` where
   * the run writes that name); default the profile's own names.
   */
  raColumn?: string;
  decColumn?: string;
}

export interface TrainingSetTask extends Omit<CrossmatchTask, 'kind'> {
  kind: 'trainingset';
  photometry: TaskPhotometry;
}

const opened = new Map<string, Promise<PixelCatalog>>();
let appliedRemote = '{}';
const dustMaps = new Map<string, Promise<DustMap>>();

/** Opens (once per worker) a dust map. */
function dustMapFor(ref: DustMapRef): Promise<DustMap> {
  const key = `${ref.spec}\u0000${ref.folder ?? ''}`;
  let p = dustMaps.get(key);
  if (!p) {
    p = openDustMap(ref.spec, { folder: ref.folder });
    p.catch(() => dustMaps.delete(key));
    dustMaps.set(key, p);
  }
  return p;
}

/** Opens (once per worker) the HATS catalog at `location`. */
function catalogAt(location: string): Promise<PixelCatalog> {
  let p = opened.get(location);
  if (!p) {
    p = openHats(location).then((c) => {
      if (c.kind !== 'catalog')
        throw new UserError(`${location} is a collection; give one of its catalogs`);
      return c;
    });
    p.catch(() => opened.delete(location));
    opened.set(location, p);
  }
  return p;
}

/**
 * A view of `catalog` keeping only the rows where `column == equals` (DP0.2 `detect_isPrimary`),
 * so non-primary objects are never matched (science_catalogs applies the same row filter).
 */
export function filteredCatalog(
  catalog: PixelCatalog,
  column: string,
  equals: boolean,
  label: string,
): PixelCatalog {
  return {
    name: catalog.name,
    location: catalog.location,
    raColumn: catalog.raColumn,
    decColumn: catalog.decColumn,
    healpixColumn: catalog.healpixColumn,
    healpixOrder: catalog.healpixOrder,
    schema: catalog.schema,
    partitions: catalog.partitions,
    marginThresholdArcsec: catalog.marginThresholdArcsec,
    async readPartition(pixel: Pixel, options: ReadOptions = {}): Promise<Table> {
      if (options.rows) {
        // rows of this view are the kept rows of the catalog's partition: find which those are
        const { signal } = options;
        const flags = await catalog.readPartition(pixel, { columns: [column], signal });
        const keep = keptRows(equalsMask(flags, column, equals, label));
        const rows = options.rows.map((r) => {
          if (r >= keep.length) throw new Error(`row ${r} asked of ${keep.length} kept rows`);
          return keep[r];
        });
        return catalog.readPartition(pixel, { ...options, rows });
      }
      const wanted = options.columns;
      const columns = wanted && !wanted.includes(column) ? [...wanted, column] : wanted;
      const table = await catalog.readPartition(pixel, { ...options, columns });
      const keep = keptRows(equalsMask(table, column, equals, label));
      let out = keep.length === table.numRows ? table : gatherTable(table, keep);
      if (columns !== wanted) out = out.select(wanted!) as Table;
      return out;
    },
  };
}

function keptRows(mask: ArrayLike<number | boolean>): Uint32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  const keep = new Uint32Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) keep[k++] = i;
  return keep;
}

function rowsCatalog(info: CatalogInfo, schema: Schema): PixelCatalog {
  return {
    ...info,
    schema,
    partitions: [],
    readPartition: () => Promise.reject(new Error('rows catalog: rows travel with the task')),
  };
}

/**
 * Applies the run's remote settings (cache folder and size, offline, ...) to this thread's default
 * session, once per settings: catalogs reopened afterwards use them.
 */
export function applyRemoteSettings(remote: TrainingSetTask['remote']): void {
  const remoteKey = JSON.stringify(remote ?? {});
  if (remoteKey !== appliedRemote) {
    configureRemoteDefaults(remote ?? {});
    appliedRemote = remoteKey;
    opened.clear();
  }
}

/** What a worker sends back for one pixel: its rows, and what it fetched from http(s) catalogs. */
export interface TrainingSetReply {
  /** The pixel's rows, moved (compute/arrow/packed-table.ts). */
  rows: PackedTable;
  /** Its spec-z rows with a match (pixel-task.ts PixelMatch). */
  leftRowsMatched: number;
  /** Its rows without a position (pixel-task.ts PixelMatch). */
  noPosition: PixelMatch['noPosition'];
  /** Difference of the worker's remote counters over the task; absent for local catalogs. */
  remote?: HttpStats;
}

const usesRemote = (task: TrainingSetTask) =>
  [task.right.location, task.margin?.location, 'location' in task.left ? task.left.location : '']
    .filter((l): l is string => typeof l === 'string')
    .some(isRemoteLocation);

/**
 * Worker handler of kind 'trainingset': the pixel's rows (moved, not copied) and, for http(s)
 * catalogs, the bytes this task downloaded or read from the cache.
 */
export async function runTrainingSetWorkerTask(
  task: TrainingSetTask,
): Promise<WithTransfer<TrainingSetReply>> {
  if (!usesRemote(task)) {
    const { table, leftRowsMatched, noPosition } = await runTrainingSetTask(task);
    const rows = packTable(table);
    return new WithTransfer({ rows, leftRowsMatched, noPosition }, transferList(rows));
  }
  applyRemoteSettings(task.remote);
  const { value, remote } = await measuredRemote(() => runTrainingSetTask(task));
  const rows = packTable(value.table);
  return new WithTransfer(
    { rows, leftRowsMatched: value.leftRowsMatched, noPosition: value.noPosition, remote },
    transferList(rows),
  );
}

const filteredOf = new WeakMap<PixelCatalog, Map<string, PixelCatalog>>();

/** Runs one aligned pixel: returns its rows (new arrays, free to move to another thread). */
export async function runTrainingSetTask(task: TrainingSetTask): Promise<PixelMatch> {
  applyRemoteSettings(task.remote);
  let left: PixelCatalog;
  let leftRows: Table | undefined;
  if ('location' in task.left) left = await catalogAt(task.left.location);
  else {
    leftRows = tableFromIPC(new Uint8Array(task.left.rowsIpc));
    left = rowsCatalog(task.left.info, leftRows.schema);
  }
  const { profile } = task.photometry;
  const filter = profile.qualityFilter;
  const wrap = (c: PixelCatalog) => {
    if (!filter) return c;
    // one wrapper per opened catalog, so the pixel task's partition cache sees the same object
    const key = `${filter.column}=${String(filter.equals)}|${profile.label}`;
    let byKey = filteredOf.get(c);
    if (!byKey) filteredOf.set(c, (byKey = new Map()));
    let wrapped = byKey.get(key);
    if (!wrapped)
      byKey.set(key, (wrapped = filteredCatalog(c, filter.column, filter.equals, profile.label)));
    return wrapped;
  };
  const right = wrap(await catalogAt(task.right.location));
  const margin = task.margin ? wrap(await catalogAt(task.margin.location)) : null;
  const matched = await crossmatchPixel(
    { left, leftRows, right, margin },
    task.spec,
    task.options,
    task.columns,
  );
  return { ...matched, table: await addPhotometry(matched.table, task.photometry) };
}

/** Applies the photometry step to crossmatched rows (photometric columns keep their names). */
export async function addPhotometry(table: Table, p: TaskPhotometry): Promise<Table> {
  if (p.fluxType === null) return table;
  const dustMap = p.dustMap ? await dustMapFor(p.dustMap) : null;
  if (dustMap) inUse.set(dustMap, (inUse.get(dustMap) ?? 0) + 1);
  try {
    const result = await applyPhotometry(table, p.profile, {
      fluxType: p.fluxType,
      toMagnitudes: p.toMagnitudes,
      dustMap,
      ebvScale: p.ebvScale,
      raColumn: p.raColumn,
      decColumn: p.decColumn,
      // a left join's unmatched spec-z rows have no distance: their magnitudes are null too
      presenceColumn: table.getChild(DIST_COLUMN) ? DIST_COLUMN : undefined,
    });
    return result.table;
  } finally {
    if (dustMap) await releaseDustMap(dustMap);
  }
}

/** Tasks of this thread using each dust map right now. */
const inUse = new Map<DustMap, number>();

/**
 * Closes the map's files when no task of this thread uses it any more. The map object (headers,
 * cached blocks) stays cached; its next query reopens the files. Worker threads end without a
 * chance to run async code, and a plain descriptor left open there stays open in the process, so
 * nothing may be held open between tasks.
 */
async function releaseDustMap(map: DustMap): Promise<void> {
  const n = (inUse.get(map) ?? 1) - 1;
  if (n > 0) {
    inUse.set(map, n);
    return;
  }
  inUse.delete(map);
  await map.close?.();
}
