/**
 * Exports of a project for running elsewhere ("Run on a cluster..." in the wizard's summary):
 * - `lsdb`: a self-contained Python job (LSDB + Dask, local or any dask.distributed scheduler);
 * - `pzserver`: the `config.yml` of the original Training Set Maker pipeline.
 *
 * `exportProject` is pure (no I/O): it returns the files as text. `writeExport` writes them
 * (plus the app resources they name, e.g. the embedded dust map) into a folder.
 */
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../errors';
import { embeddedMapPath } from '../photometry/dust-maps';
import type { Project } from '../pipeline/project-schema';
import { exportLsdb } from './lsdb';
import { exportPzserver } from './pzserver';
import { EXPORT_TARGETS, type ExportOptions, type ExportResult, type ExportTarget } from './types';
import { makeFolder } from '../io/make-folder';

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

/**
 * Writes an export into `outDir` (created if needed); each file atomically (`.partial`, then
 * rename). Returns the paths written. Existing files of the same names are replaced.
 */
export async function writeExport(result: ExportResult, outDir: string): Promise<string[]> {
  const root = resolve(outDir);
  const target = (name: string) => {
    const path = resolve(root, name);
    if (!path.startsWith(root + sep))
      throw new Error(`export file name escapes the folder: ${name}`);
    return path;
  };
  const written: string[] = [];
  try {
    await makeFolder(root);
    for (const f of result.files) {
      const path = target(f.name);
      await makeFolder(dirname(path));
      await writeFile(`${path}.partial`, f.content, 'utf8');
      await rename(`${path}.partial`, path);
      written.push(path);
    }
    for (const r of result.resources) {
      const path = target(r.name);
      await makeFolder(dirname(path));
      await copyFile(resourcePath(r.resource), path);
      written.push(path);
    }
  } catch (err) {
    for (const f of result.files) await rm(`${join(root, f.name)}.partial`, { force: true });
    if (err instanceof UserError) throw err;
    throw new UserError(`${root}: cannot write the export (${(err as Error).message})`);
  }
  return written;
}
