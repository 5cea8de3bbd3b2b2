/**
 * Shows RunProgress events in a terminal: a one-line bar rewritten in place (TTY), plain lines on
 * each stage change (logs, pipes), or JSON lines (`--progress json`, one event per line).
 */
import type { SpeczReadProgress } from '../io/read-progress';
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

/** `[######..................]`, `frac` of it filled. */
function barOf(frac: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, frac)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** "450,000 spec-z rows (45%)": the rows of a spec-z file read so far; `noun` names them. */
export function readCount(p: SpeczReadProgress, noun = 'rows'): string {
  const percent = p.fraction !== undefined ? ` (${Math.floor(p.fraction * 100)}%)` : '';
  const again = p.again !== undefined ? `; ${p.again}` : '';
  return `${nf.format(p.rowsRead)} ${noun}${percent}${again}`;
}

/**
 * The bar line of a spec-z file's reading under `label`: the part of the file read, the rows
 * read (`verb` before them), elapsed time; a registration's writing says so.
 */
export function readProgressLine(
  label: string,
  p: SpeczReadProgress,
  elapsedMs: number,
  noun = 'rows',
  verb = '',
  width = 24,
): string {
  const what =
    p.phase === 'write'
      ? `the HATS catalog: ${nf.format(p.rowsRead)} ${noun}`
      : `${barOf(p.fraction ?? 0, width)} ${verb}${readCount(p, noun)}`;
  return `${label.padEnd(15)} ${what}  ${formatDuration(elapsedMs)} elapsed`;
}

/** The bar line: stage, bar, pixels, rows matched, bytes read, elapsed, ETA. */
export function progressLine(p: RunProgress, width = 24): string {
  if (p.stage === 'resolve' && p.speczRead) {
    return readProgressLine(p.stage, p.speczRead, p.elapsedMs, 'spec-z rows', 'read ', width);
  }
  const bar = barOf(p.pixelsTotal > 0 ? p.pixelsDone / p.pixelsTotal : 0, width);
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
  let lastReadStep = -1;
  let lastAgain: string | undefined;
  let lastMessage: string | undefined;
  const sink = ((p: RunProgress) => {
    if (mode === 'none') return;
    if (mode === 'json') {
      write(`${JSON.stringify(p)}\n`);
      return;
    }
    const stageChanged = p.stage !== lastStage;
    const previousStage = lastStage;
    lastStage = p.stage;
    // opening the catalogs says each step (and each retry of a slow server) once
    const newMessage = p.message !== undefined && p.message !== lastMessage;
    if (p.message !== undefined) lastMessage = p.message;
    if (mode === 'lines') {
      const step = p.pixelsTotal > 0 ? Math.floor((10 * p.pixelsDone) / p.pixelsTotal) : 0;
      // a failure's message is the command's error line, printed once after this: here the
      // stage it stopped in and when (a bare "failed" said nothing the error line does not)
      if (stageChanged && p.stage === 'failed') {
        const during = previousStage ? ` in the ${previousStage} stage` : '';
        write(`failed${during} after ${formatDuration(p.elapsedMs)}; the reason follows\n`);
      } else if (p.message && (stageChanged || (p.stage === 'resolve' && newMessage))) {
        write(`${p.stage}: ${p.message}\n`);
      } else if (p.stage === 'crossmatch' && (stageChanged || step !== lastStep)) {
        const eta = p.etaMs !== undefined ? `, ETA ${formatDuration(p.etaMs)}` : '';
        write(
          `crossmatch: ${p.pixelsDone}/${p.pixelsTotal} pixels, ${nf.format(p.rowsMatched)} rows matched, ${formatBytes(p.bytesRead)} read${eta}\n`,
        );
      } else if (p.stage === 'resolve' && p.speczRead) {
        // a spec-z file read before the plan: a line at each tenth of it
        const readStep = readTenth(p.speczRead);
        const again = p.speczRead.again !== lastAgain;
        if (readStep !== lastReadStep || again)
          write(`resolve: read ${readCount(p.speczRead, 'spec-z rows')}\n`);
        lastReadStep = readStep;
        lastAgain = p.speczRead.again;
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

/** The tenth of a file read (0..10), or -1 when its size is not known. */
function readTenth(p: SpeczReadProgress): number {
  return p.fraction !== undefined ? Math.floor(10 * p.fraction) : -1;
}

export interface ReadProgressSink {
  (progress: SpeczReadProgress): void;
  /** Ends the in-place line (call once the reading and writing are over). */
  end(): void;
}

/**
 * A progress callback of a spec-z file's reading (`tsm register`) writing to `write` (stderr):
 * a bar rewritten in place at most every `intervalMs` (TTY), or a line at each tenth of the file
 * and when the writing starts (logs, pipes), as `tsm run` prints its stages.
 */
export function createReadProgressPrinter(
  mode: Exclude<ProgressMode, 'json'>,
  write: (text: string) => void,
  intervalMs = 100,
  now: () => number = Date.now,
): ReadProgressSink {
  const started = now();
  let lastDraw = -Infinity;
  let lastPhase = '';
  let lastStep = -1;
  let lastAgain: string | undefined;
  let drawn = false;
  /** The last report when the bar skipped it: drawn at the end, so the bar ends at the total. */
  let skipped: SpeczReadProgress | null = null;
  const draw = (p: SpeczReadProgress, t: number) => {
    const label = p.phase === 'read' ? 'reading' : 'writing';
    write(`\r\u001b[2K${readProgressLine(label, p, t - started)}`);
    drawn = true;
    skipped = null;
  };
  const sink = ((p: SpeczReadProgress) => {
    if (mode === 'none') return;
    const phaseChanged = p.phase !== lastPhase;
    lastPhase = p.phase;
    if (mode === 'lines') {
      const step = readTenth(p);
      if (p.phase === 'write') {
        if (phaseChanged) write(`writing the HATS catalog: ${nf.format(p.rowsRead)} rows\n`);
      } else if (phaseChanged || step !== lastStep || p.again !== lastAgain)
        write(`reading: ${readCount(p)}\n`);
      lastStep = step;
      lastAgain = p.again;
      return;
    }
    const t = now();
    const againChanged = p.again !== lastAgain;
    lastAgain = p.again;
    if (!phaseChanged && !againChanged && t - lastDraw < intervalMs) {
      skipped = p;
      return;
    }
    lastDraw = t;
    draw(p, t);
  }) as ReadProgressSink;
  sink.end = () => {
    if (skipped) draw(skipped, now());
    if (drawn) write('\n');
    drawn = false;
  };
  return sink;
}
