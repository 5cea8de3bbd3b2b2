/**
 * Exports of a project for running elsewhere ("Run on a cluster..." in the wizard's summary):
 * - `lsdb`: a self-contained Python job (LSDB + Dask, local or any dask.distributed scheduler);
 * - `pzserver`: the `config.yml` of the original Training Set Maker pipeline.
 *
 * `exportProject` is pure (no I/O): it returns the files as text. `writeExport` writes them
 * (plus the app resources they name, e.g. the embedded dust map) into a folder.
 */
import { copyFile, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors';
import { embeddedMapPath } from '../photometry/dust-maps';
import type { Project } from '../pipeline/project-schema';
import { exportLsdb } from './lsdb';
import { exportPzserver } from './pzserver';
import { EXPORT_TARGETS, type ExportOptions, type ExportResult, type ExportTarget } from './types';
import { makeFolder, removeEmptyFolders, writeAdvice } from '../io/make-folder';

export * from './types';

/** The files of `project` for `target` (validated project, see compute/pipeline/project.ts). */
export function exportProject(
  project: Project,
  target: ExportTarget,
  options: ExportOptions = {},
): ExportResult {
  if (target === 'lsdb') return exportLsdb(project, options);
  if (target === 'pzserver') return exportPzserver(project, options);
  throw new UserError(
    `export target '${String(target)}' is unknown; use ${EXPORT_TARGETS.join(' or ')}`,
  );
}

function resourcePath(resource: 'sfd-lowres'): string {
  if (resource === 'sfd-lowres') return embeddedMapPath();
  throw new Error(`unknown export resource ${String(resource)}`);
}

/** Every text file an export writes names the command near its top: how a re-export knows it. */
const EXPORT_MARKER = 'tsm export --target';
const MARKER_BYTES = 1024;

/**
 * Whether the file at `path` is this tool's earlier export of the file: a text file with the
 * marker near its top, or a resource copied byte for byte.
 */
async function isEarlierExport(path: string, resource?: string): Promise<boolean> {
  if (resource) {
    const [mine, there] = await Promise.all([readFile(resource), readFile(path)]);
    return mine.equals(there);
  }
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(MARKER_BYTES);
    const { bytesRead } = await handle.read(head, 0, MARKER_BYTES, 0);
    return head.subarray(0, bytesRead).toString('utf8').includes(EXPORT_MARKER);
  } finally {
    await handle.close();
  }
}

/**
 * Refuses, before anything is written, an `outDir` that is a file, and any file at a name the
 * export writes that is not an earlier export's (the user's own is never replaced).
 */
async function checkExportFolder(
  root: string,
  targets: { path: string; resource?: string }[],
): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new UserError(
      `${root} is a file, and the export writes its files (${targets.map((t) => relative(root, t.path)).join(', ')}) into a folder: give a folder (one that does not exist yet is made).`,
    );
  }
  const foreign: string[] = [];
  for (const t of targets) {
    const there = await stat(t.path).catch(() => null);
    if (!there) continue;
    if (!there.isFile() || !(await isEarlierExport(t.path, t.resource))) foreign.push(t.path);
  }
  if (foreign.length > 0) {
    throw new UserError(
      `${foreign.join(', ')} already ${foreign.length === 1 ? 'exists and was' : 'exist and were'} not written by tsm export, so the export does not replace ${foreign.length === 1 ? 'it' : 'them'}. Move ${foreign.length === 1 ? 'it' : 'them'} out of the way, or choose another folder.`,
    );
  }
}

/**
 * Writes an export into `outDir` (created if needed); each file atomically (`.partial`, then
 * rename). Returns the paths written. A file of the same name is replaced only when it is an
 * earlier export's (checkExportFolder); anything else stops the export before it writes.
 */
export async function writeExport(result: ExportResult, outDir: string): Promise<string[]> {
  const root = resolve(outDir);
  const target = (name: string) => {
    const path = resolve(root, name);
    if (!path.startsWith(root + sep))
      throw new Error(`export file name escapes the folder: ${name}`);
    return path;
  };
  await checkExportFolder(root, [
    ...result.files.map((f) => ({ path: target(f.name) })),
    ...result.resources.map((r) => ({ path: target(r.name), resource: resourcePath(r.resource) })),
  ]);
  const written: string[] = [];
  const paths = [...result.files, ...result.resources].map((f) => target(f.name));
  const made: string[] = [];
  try {
    made.push(...(await makeFolder(root)));
    // every file complete as `.partial` first, then all renamed: a disk that fills up half-way
    // leaves no job without its dust map (or an earlier export's files beside new ones)
    for (const f of result.files) {
      const path = target(f.name);
      made.unshift(...(await makeFolder(dirname(path))));
      await writeFile(`${path}.partial`, f.content, 'utf8');
    }
    for (const r of result.resources) {
      const path = target(r.name);
      made.unshift(...(await makeFolder(dirname(path))));
      await copyFile(resourcePath(r.resource), `${path}.partial`);
    }
    for (const path of paths) {
      await rename(`${path}.partial`, path);
      written.push(path);
    }
  } catch (err) {
    for (const path of paths) await rm(`${path}.partial`, { force: true });
    await removeEmptyFolders(made);
    if (err instanceof UserError) throw err;
    const advice = writeAdvice(err);
    throw new UserError(
      `${root}: cannot write the export (${(err as Error).message})${advice ? `; ${advice}` : ''}`,
    );
  }
  return written;
}
