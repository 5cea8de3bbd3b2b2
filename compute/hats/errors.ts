import { UserError } from '../errors';

/**
 * A problem with a HATS catalog on disk or over HTTP (missing or malformed metadata, missing leaf
 * file, corrupt parquet, unknown column). The message names the file and says what to do.
 */
export class HatsError extends UserError {
  override name = 'HatsError';
}

/** Joins a store root and a relative path for messages (works for folders and URLs). */
export function joinLocation(root: string, relPath: string): string {
  if (relPath === '') return root;
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return `${root.replace(/[/\\]+$/, '')}${sep}${relPath}`;
}
