/**
 * Shows RunProgress events in a terminal: a one-line bar rewritten in place (TTY), plain lines on
 * each stage change (logs, pipes), or JSON lines (`--progress json`, one event per line).
 */
import type { RunProgress } from './progress';

export type ProgressMode = 'bar' | 'lines' | 'json' | 'none';

/** 1234567 -> "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (!(bytes > 0)) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const k = Math.min(units.length - 1, Math.floor(Math.log10(bytes) / 3));
  const v = bytes / 1000 ** k;
  return `${k === 0 ? v : v.toFixed(1)} ${units[k]}`;
}

/** 75_000 -> "01:15"; hours when needed. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

const nf = new Intl.NumberFormat('en-US');

/** The bar line: stage, bar, pixels, rows matched, bytes read, elapsed, ETA. */
export function progressLine(p: RunProgress, width = 24): string {
  const frac = p.pixelsTotal > 0 ? p.pixelsDone / p.pixelsTotal : 0;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const eta = p.etaMs !== undefined ? `  ETA ${formatDuration(p.etaMs)}` : '';
  return (
    `${p.stage.padEnd(15)} ${bar} ${p.pixelsDone}/${p.pixelsTotal} pixels  ` +
    `${nf.format(p.rowsMatched)} rows matched  ${formatBytes(p.bytesRead)} read  ` +
    (p.bytesDownloaded !== undefined
      ? `(${formatBytes(p.bytesDownloaded)} downloaded, ${formatBytes(p.bytesFromCache ?? 0)} cached)  `
      : '') +
    `${formatDuration(p.elapsedMs)} elapsed${eta}`
  );
}

export interface ProgressSink {
  (progress: RunProgress): void;
  /** Ends the in-place line (call once the run is over). */
  end(): void;
}

/**
 * A progress callback writing to `write` (stderr for bar/lines, stdout for json). The bar is
 * redrawn at most every `intervalMs`, and always on a stage change.
 */
export function createProgressPrinter(
  mode: ProgressMode,
  write: (text: string) => void,
  intervalMs = 100,
): ProgressSink {
  let lastDraw = 0;
  let lastStage = '';
  let drawn = false;
  let lastStep = -1;
  let lastMessage: string | undefined;
  const sink = ((p: RunProgress) => {
    if (mode === 'none') return;
    if (mode === 'json') {
      write(`${JSON.stringify(p)}\n`);
      return;
    }
    const stageChanged = p.stage !== lastStage;
    lastStage = p.stage;
    // opening the catalogs says each step (and each retry of a slow server) once
    const newMessage = p.message !== undefined && p.message !== lastMessage;
    if (p.message !== undefined) lastMessage = p.message;
    if (mode === 'lines') {
      const step = p.pixelsTotal > 0 ? Math.floor((10 * p.pixelsDone) / p.pixelsTotal) : 0;
      // a failure's message is the command's error line, printed once after this
      if (stageChanged && p.stage === 'failed') write('failed\n');
      else if (p.message && (stageChanged || (p.stage === 'resolve' && newMessage))) {
        write(`${p.stage}: ${p.message}\n`);
      } else if (p.stage === 'crossmatch' && (stageChanged || step !== lastStep)) {
        const eta = p.etaMs !== undefined ? `, ETA ${formatDuration(p.etaMs)}` : '';
        write(
          `crossmatch: ${p.pixelsDone}/${p.pixelsTotal} pixels, ${nf.format(p.rowsMatched)} rows matched, ${formatBytes(p.bytesRead)} read${eta}\n`,
        );
      } else if (stageChanged) write(`${p.stage}\n`);
      lastStep = step;
      return;
    }
    const now = Date.now();
    if (!stageChanged && now - lastDraw < intervalMs) return;
    lastDraw = now;
    write(`\r\u001b[2K${progressLine(p)}`);
    drawn = true;
  }) as ProgressSink;
  sink.end = () => {
    if (drawn) write('\n');
    drawn = false;
  };
  return sink;
}
