import { tableFromIPC, type Schema, type Table } from 'apache-arrow';
import type { HttpOptionsInput } from '../hats/http-options';
import { openHats } from '../hats/open';
import { configureRemoteDefaults } from '../hats/store';
import type { Pixel, PixelCatalog } from '../hats/types';
import { packTable, transferList, type PackedTable } from '../arrow/packed-table';
import { UserError } from '../errors';
import { WithTransfer } from '../pipeline/transfer';
import type { ResolvedCrossmatchOptions } from './options';
import type { OutputColumns } from './output';
import { crossmatchPixel, type PixelMatch, type PixelTaskSpec } from './pixel-task';

/** Where a worker finds a catalog: a HATS location it re-opens, or (user files) the rows themselves. */
export type CatalogRef = { location: string } | { info: CatalogInfo; rowsIpc: ArrayBuffer };

/** The fields of a PixelCatalog a task needs when its rows travel with the task. */
export interface CatalogInfo {
  name: string;
  location: string;
  raColumn: string;
  decColumn: string;
  healpixColumn: string;
  healpixOrder: number;
}

/** A crossmatch task: one aligned pixel; catalogs by location, never their data (§5 of the brief). */
export interface CrossmatchTask {
  kind: 'crossmatch';
  left: CatalogRef;
  right: { location: string };
  margin: { location: string } | null;
  spec: PixelTaskSpec;
  options: ResolvedCrossmatchOptions;
  columns: OutputColumns;
  /** Remote settings for http(s) locations, applied once per worker. */
  remote?: HttpOptionsInput;
}

const opened = new Map<string, Promise<PixelCatalog>>();
let appliedRemote = '{}';

/** Opens (once per worker) the HATS catalog at `location`. */
function catalogAt(location: string): Promise<PixelCatalog> {
  let p = opened.get(location);
  if (!p) {
    p = openHats(location).then((c) => {
      if (c.kind !== 'catalog') {
        throw new UserError(`${location} is a collection; the task needs one of its catalogs`);
      }
      return c;
    });
    p.catch(() => opened.delete(location));
    opened.set(location, p);
  }
  return p;
}

/** A catalog made of rows that came with the task (a user file partitioned in the main thread). */
function rowsCatalog(info: CatalogInfo, schema: Schema): PixelCatalog {
  return {
    ...info,
    schema,
    partitions: [] as Pixel[],
    readPartition: () => Promise.reject(new Error('rows catalog: rows travel with the task')),
  };
}

/** A crossmatch task's reply: its output rows, and its rows without a position (PixelMatch). */
export interface CrossmatchReply {
  rows: PackedTable;
  noPosition: PixelMatch['noPosition'];
}

/** Worker handler: runs one aligned pixel and returns its output, moved (packed-table.ts). */
export async function runCrossmatchTask(
  task: CrossmatchTask,
): Promise<WithTransfer<CrossmatchReply>> {
  const remoteKey = JSON.stringify(task.remote ?? {});
  if (remoteKey !== appliedRemote) {
    configureRemoteDefaults(task.remote ?? {});
    appliedRemote = remoteKey;
    opened.clear();
  }
  let left: PixelCatalog;
  let leftRows: Table | undefined;
  if ('location' in task.left) left = await catalogAt(task.left.location);
  else {
    leftRows = tableFromIPC(new Uint8Array(task.left.rowsIpc));
    left = rowsCatalog(task.left.info, leftRows.schema);
  }
  const right = await catalogAt(task.right.location);
  const margin = task.margin ? await catalogAt(task.margin.location) : null;
  const { table, noPosition } = await crossmatchPixel(
    { left, leftRows, right, margin },
    task.spec,
    task.options,
    task.columns,
  );
  const rows = packTable(table);
  return new WithTransfer({ rows, noPosition }, transferList(rows));
}
