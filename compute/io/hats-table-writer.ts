import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Table, type Schema } from 'apache-arrow';
import { ArrowSpillFile } from './arrow-spill';
import { partialPath } from './atomic';
import { writeHatsCatalog } from './hats-writer';
import { assertSameColumns } from './schema-check';
import type { TableWriter, TableWriterOptions, WriteResult } from './table-writer';
import { makeFolder } from './make-folder';

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}

/**
 * The HATS output as a {@link TableWriter}: batches are kept in a temporary Arrow file beside the
 * output, and `close()` hands them to {@link writeHatsCatalog} (which partitions, sorts and
 * renames atomically). Like the original TSM, the output is a collection `<name>.hats/` holding
 * the catalog (`catalog/` unless `hats.name` says otherwise) and, when asked, its margin
 * `margin_<threshold>arcs/`. The run's parameters become `tsm_<key>` lines of `hats.properties`.
 */
export function createHatsTableWriter(path: string, options: TableWriterOptions = {}): TableWriter {
  const tmpDir = `${partialPath(path)}.tmp`;
  const spill = new ArrowSpillFile(join(tmpDir, 'rows.arrows'));
  let schema: Schema | undefined = options.schema;
  let started = false;
  const cleanup = () => rm(tmpDir, { recursive: true, force: true });

  return {
    async write(batch: Table): Promise<void> {
      schema ??= batch.schema;
      assertSameColumns(path, schema, batch.schema);
      if (!started) {
        await makeFolder(tmpDir);
        started = true;
      }
      await spill.append(batch);
    },
    async close(): Promise<WriteResult> {
      try {
        const properties: Record<string, string> = {};
        for (const [k, v] of Object.entries(options.metadata ?? {})) {
          properties[`tsm_${k.replace(/[^A-Za-z0-9_.-]/g, '_')}`] = v.replace(/[\r\n]+/g, ' ');
        }
        const h = options.hats ?? {};
        // no row written: one empty table carries the columns (an empty catalog, no partition)
        const source = spill.rows === 0 && schema ? [new Table(schema)] : spill.tables();
        const result = await writeHatsCatalog(path, source, {
          name: h.name ?? 'catalog',
          raColumn: h.raColumn,
          decColumn: h.decColumn,
          partitionRows: h.partitionRows,
          margin: h.marginThresholdArcsec
            ? {
                thresholdArcsec: h.marginThresholdArcsec,
                name: `margin_${h.marginThresholdArcsec}arcs`,
              }
            : undefined,
          collection: true,
          properties,
          units: options.units,
          signal: options.signal,
        });
        return { path, rows: result.rows, bytes: await folderBytes(path) };
      } finally {
        await cleanup();
      }
    },
    abort: cleanup,
  };
}
