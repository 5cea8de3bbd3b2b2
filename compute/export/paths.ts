/**
 * Project paths as an exported job sees them: absolute when the project's folder is known,
 * registered catalogs under the data folder, URLs unchanged. Pure string work (node:path only).
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { Project } from '../pipeline/project-schema';
import type { ExportOptions } from './types';

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** `path` made absolute against `baseDir` when one is given (URLs and absolute paths unchanged). */
export function exportPath(path: string, baseDir: string | undefined): string {
  if (isUrl(path) || isAbsolute(path) || baseDir === undefined) return path;
  return resolve(baseDir, path);
}

/** Where the spec-z catalog of `project` is: its path, or `<dataDir>/catalogs/<catalogId>`. */
export function speczLocation(project: Project, options: ExportOptions): string {
  if (project.specz.catalogId !== null) {
    return join(options.dataDir ?? '.', 'catalogs', project.specz.catalogId);
  }
  return exportPath(project.specz.path ?? '', options.baseDir);
}

/** The photometric HATS catalog (folder or URL). */
export function photometryLocation(project: Project, options: ExportOptions): string {
  return exportPath(project.photometry.location, options.baseDir);
}

/** The output folder. */
export function outputFolder(project: Project, options: ExportOptions): string {
  return exportPath(project.output.folder, options.baseDir);
}
