/**
 * Summarises V8 `.cpuprofile` files (from `node --cpu-prof`, one per thread) into self time per
 * function and per source file, so the scale benchmark can say where a run spends its time.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  selfMs: number;
  share: number;
}

export interface ThreadProfile {
  file: string;
  /** Busy (non-idle) milliseconds sampled in this thread. */
  ms: number;
  byFunction: ProfileRow[];
}

export interface ProfileSummary {
  threads: ThreadProfile[];
  byFunction: ProfileRow[];
  byFile: ProfileRow[];
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const parts = clean.split('/');
  return parts.slice(-2).join('/');
}

/** Self time (ms, idle excluded) per function and per file over every profile in `dir`, and per thread. */
export function summarizeProfiles(dir: string, top = 25): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const threads: ThreadProfile[] = [];
  const perThread: Map<string, number>[] = [];
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const mine = new Map<string, number>();
    let threadMs = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i]);
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      if (!node) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = shortUrl(url);
      const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
      if (functionName === '(idle)') continue;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
      mine.set(fn, (mine.get(fn) ?? 0) + ms);
      byFile.set(where, (byFile.get(where) ?? 0) + ms);
      threadMs += ms;
    }
    threads.push({ file, ms: threadMs, byFunction: [] });
    perThread.push(mine);
    total += threadMs;
  }
  const rows = (m: Map<string, number>, of: number): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, selfMs]) => ({ name, selfMs, share: of > 0 ? selfMs / of : 0 }));
  threads.forEach((t, i) => (t.byFunction = rows(perThread[i], t.ms)));
  return { threads, byFunction: rows(byFunction, total), byFile: rows(byFile, total) };
}
