/**
 * A process that takes the lock of a JSON file and keeps it (bundled by
 * test/main/file-lock.test.ts): `node holder.mjs <file>` prints `locked` once it holds
 * `<file>.lock`, then waits until it is killed, as an app killed mid-change would leave it.
 */
import { withFileLock } from '../../main/file-lock';

await withFileLock(process.argv[2]!, async () => {
  process.stdout.write('locked\n');
  await new Promise(() => setInterval(() => undefined, 1000));
});
