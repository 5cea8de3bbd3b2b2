/**
 * What `exportProject` returns: the files of a job for another system, as text, plus the app
 * resources to copy beside them (binary files the export cannot hold as text).
 */

/** `lsdb`: a Python job for LSDB + Dask; `pzserver`: the original pipeline's config.yml. */
export type ExportTarget = 'lsdb' | 'pzserver';
export const EXPORT_TARGETS: ExportTarget[] = ['lsdb', 'pzserver'];

/** One text file of an export; `name` is relative to the export folder (`/` separators). */
export interface ExportFile {
  name: string;
  content: string;
}

/** A file the writer copies from the app's own resources (`sfd-lowres`: the embedded dust map). */
export interface ExportResource {
  name: string;
  resource: 'sfd-lowres';
}

export interface ExportResult {
  target: ExportTarget;
  files: ExportFile[];
  resources: ExportResource[];
  /** Project fields the target cannot express, one sentence each (also in the files). */
  unsupported: string[];
}

export interface ExportOptions {
  /** Folder against which relative project paths are made absolute (the project file's folder). */
  baseDir?: string;
  /** App data folder: registered spec-z catalogs are `<dataDir>/catalogs/<id>`. */
  dataDir?: string;
  /** Version written into the job and its outputs (default: 'unknown'). */
  tsmVersion?: string;
  /** The photometric catalog's id column as detected from it (detect-id.ts), where known. */
  photometricIdColumn?: string | null;
}
