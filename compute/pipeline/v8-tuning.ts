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
 */
import { setFlagsFromString } from 'node:v8';

const INTERRUPT_BUDGET = 8 * 67_584; // V8 11's default (Node 20) times 8

let tuned = false;

/** Applies the settings once per process; a host that refuses them keeps V8's defaults. */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  try {
    setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  } catch {
    // V8's defaults are correct, only slower
  }
}
