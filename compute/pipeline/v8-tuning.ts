/**
 * V8 settings for a run, set at run time (node:v8) so the `tsm` command, the app's main process
 * and the web bridge all get them, and the worker threads started after (V8's flags are the
 * process's).
 *
 * `--interrupt-budget`: how much a function runs before V8 considers optimizing it with
 * TurboFan, 8 times V8's default here. A run goes through many functions that are only warm (a
 * column type's decoder, a rare branch) and would be optimized, in both the main thread's and
 * every worker's isolate, on V8's background threads, which share the 2 cores with the run: a
 * 10M x 1M run spent ~3.2 s of CPU compiling (743 compilations), with the larger budget 1.8 s
 * (328). Five interleaved pairs of that run: 7.62 -> 7.22 s, 11.4 -> 10.6 s of CPU; 1M x 100k:
 * 2.66 -> 2.46 s of CPU, wall time unchanged.
 *
 * `--initial-old-space-size=64`: the old generation's first limit, in MB, of the isolates made
 * after it is set: the worker threads' (the main thread's heap exists already). A worker's old
 * generation holds ~15 MB that lives, and V8 otherwise sized its limit from that, so it marked the
 * whole heap (a full, incremental collection) every ~2 pixels: 26 times in a 10M x 1M run, the
 * worker's code running with marking barriers for much of it. With 64 MB: 6 times. Three
 * interleaved rounds of that run: 6.88-7.27 -> 6.46-6.93 s, 10.1 -> 9.3 s of CPU, peak RSS within
 * the noise (32 MB: no faster; 128 MB: 0.1 s faster than 64, +35 MiB).
 *
 * `--max-semi-space-size=4`: the young generation of the worker threads made after it is set, as
 * the `tsm` command gives every thread from its first line (scripts/build.mjs): the app's main
 * process and the web bridge are started without it, so their worker threads grew 16 MB
 * semi-spaces.
 */
import { setFlagsFromString } from 'node:v8';

const INTERRUPT_BUDGET = 8 * 67_584; // V8 11's default (Node 20) times 8
const WORKER_OLD_SPACE_MB = 64;
const WORKER_SEMI_SPACE_MB = 4;

let tuned = false;

/** Applies the settings once per process; a host that refuses them keeps V8's defaults. */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  try {
    setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    setFlagsFromString(`--initial-old-space-size=${WORKER_OLD_SPACE_MB}`);
    setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  } catch {
    // V8's defaults are correct, only slower
  }
}
