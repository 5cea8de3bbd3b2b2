/**
 * The error of a write that stored fewer bytes than it was given: on a regular file that means
 * the disk (or the user's quota) is full, so it carries ENOSPC like the write's own error would,
 * and the messages for a full output folder apply (make-folder.ts folderError).
 */
export function shortWriteError(path: string, written: number, expected: number): Error {
  return Object.assign(
    new Error(
      `ENOSPC: no space left on device, write '${path}' (wrote ${written} of ${expected} bytes)`,
    ),
    { code: 'ENOSPC', path, syscall: 'write' },
  );
}
