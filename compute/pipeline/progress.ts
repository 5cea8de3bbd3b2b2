import type { SpeczReadProgress } from '../io/read-progress';

/** The progress events of a run: the CLI prints them, the app shows them (same shape over IPC). */
export type RunStage =
  | 'resolve'
  | 'plan'
  | 'crossmatch'
  | 'unique-galaxies'
  | 'split'
  | 'write'
  | 'done'
  | 'failed'
  | 'cancelled';

export interface RunProgress {
  stage: RunStage;
  pixelsDone: number;
  pixelsTotal: number;
  rowsMatched: number;
  /** Size of the partition files the finished pixels read (local or remote). */
  bytesRead: number;
  /** Remote runs: bytes downloaded from http(s) servers so far (all threads). */
  bytesDownloaded?: number;
  /** Remote runs: bytes served from the disk cache instead of the network so far. */
  bytesFromCache?: number;
  elapsedMs: number;
  /** Estimated time left; undefined until it can be estimated. */
  etaMs?: number;
  /** A line for the live log. */
  message?: string;
  /**
   * Stage 'resolve': how far the reading of a spec-z file got (`--specz FILE`: read whole before
   * the plan); absent otherwise.
   */
  speczRead?: SpeczReadProgress;
}
