import { useEffect, useState } from 'react';
import type { RunProgress, RunRecord } from '../../../preload/api';
import { fmtDuration } from '../format';

/**
 * After this long without a progress event the engine's estimate is not shown: the run may be
 * waiting on a slow or stalled download, and an old number would read as current.
 */
export const STALE_PROGRESS_MS = 15_000;

/** What Time left says while no estimate can be trusted. */
export const WAITING_FOR_DATA = 'waiting for data';

/**
 * How long the run has taken: while it runs, from its start to `nowMs` (so it moves between
 * progress events, e.g. while a remote catalog opens), never less than the engine last said.
 */
export function runElapsedMs(run: RunRecord, progress: RunProgress | null, nowMs: number): number {
  const startMs = Date.parse(run.startedAt);
  const endMs = run.status === 'running' ? nowMs : Date.parse(run.finishedAt ?? '');
  const measured = Number.isFinite(startMs) && Number.isFinite(endMs) ? endMs - startMs : 0;
  return Math.max(measured, progress?.elapsedMs ?? 0);
}

/**
 * Time left as shown: the engine's estimate counted down since it arrived (`progressAtMs`, the
 * renderer's clock), '—' when there is none or the run has ended, and {@link WAITING_FOR_DATA}
 * when no progress arrived for {@link STALE_PROGRESS_MS}.
 */
export function runTimeLeft(
  run: RunRecord,
  progress: RunProgress | null,
  progressAtMs: number | null,
  nowMs: number,
): string {
  if (run.status !== 'running' || progress?.etaMs === undefined) return '—';
  const sinceMs = progressAtMs === null ? 0 : nowMs - progressAtMs;
  if (sinceMs > STALE_PROGRESS_MS) return WAITING_FOR_DATA;
  return fmtDuration(Math.max(0, progress.etaMs - sinceMs));
}

/** The current time, updated every `everyMs` while `active`. */
export function useNow(everyMs: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, active]);
  return now;
}
