import { stat } from 'node:fs/promises';
import { isAbsolute, normalize, relative, resolve } from 'node:path';
import { UserError } from '../compute/errors';
import { exportProject, writeExport, type ExportTarget } from '../compute/export';
import { detectPhotometricId } from '../compute/export/detect-id';
import { parseProject } from '../compute/pipeline/project';
import type { ExportWritten } from '../preload/api';

export interface ProjectExportOptions {
  /** App data folder: registered spec-z catalogs are `<dataDir>/catalogs/<id>`. */
  dataDir: string;
  /** The app version written into the job. */
  tsmVersion: string;
}

/** `folder` checked: an absolute path that is not an existing file. Returns it normalised. */
async function checkFolder(folder: string): Promise<string> {
  const trimmed = folder.trim();
  if (!isAbsolute(trimmed)) {
    throw new UserError(
      `Export folder '${folder}' is not an absolute path; choose a folder such as /home/me/tsm-export.`,
    );
  }
  const root = resolve(normalize(trimmed));
  const info = await stat(root).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new UserError(`Export folder '${root}' is a file, not a folder; choose another folder.`);
  }
  return root;
}

/**
 * Writes the files of `project` for `target` (compute/export: `lsdb` = LSDB + Dask Python job,
 * `pzserver` = the original pipeline's config.yml) into `folder`, each file atomically
 * (compute/export writeExport). The project is validated with the engine's schema first, so a
 * bad field is reported by name. Every written path is checked to lie inside `folder`.
 */
export async function exportProjectFiles(
  project: unknown,
  target: ExportTarget,
  folder: string,
  options: ProjectExportOptions,
): Promise<ExportWritten> {
  const root = await checkFolder(folder);
  const parsed = parseProject(project, 'project');
  const result = exportProject(parsed, target, {
    dataDir: options.dataDir,
    tsmVersion: options.tsmVersion,
    photometricIdColumn:
      target === 'pzserver' ? await detectPhotometricId(parsed, process.cwd()) : undefined,
  });
  const paths = await writeExport(result, root);
  for (const p of paths) {
    const inside = relative(root, p);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      throw new UserError(`Export wrote '${p}' outside '${root}'; report this as a bug.`);
    }
  }
  return { target, folder: root, paths, unsupported: result.unsupported };
}
