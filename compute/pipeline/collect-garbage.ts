/**
 * A full garbage collection on demand, for the moments a run has just let go of a lot of memory
 * that V8 would otherwise keep until its next collection: the pixels' transferred Arrow buffers
 * at the end of the crossmatch, the decision keys after the decisions. V8 schedules collections
 * by its JS heap, which is small here, while the garbage is ArrayBuffers (10M x 1M: ~70 MB);
 * collecting it before the next phase allocates took 25-45 MiB off the run's peak.
 *
 * `gc` is exposed through a fresh context with `--expose-gc` set at run time (node:v8), so no
 * command-line flag is needed; where that is refused, collecting is a no-op. Setting a V8 flag
 * after start works in Node and in Electron's main process (Electron patches V8's freezing of
 * flags after initialisation away for Node's sake); a host that froze them would abort here.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

function exposedGc(): (() => void) | null {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    return typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    return null;
  }
}

/** Runs a full garbage collection of this thread's heap; false when none is available. */
export function collectGarbage(): boolean {
  gc ??= exposedGc();
  if (!gc) return false;
  gc();
  return true;
}
