/**
 * Result types and the printed tables of the scale benchmark: one row per peer and case, then the
 * goals as ratios measured in the same run (ours = `tsm run` with 2 workers; LSDB = the faster /
 * the leaner of its two configurations, so a ratio never flatters us).
 */
import type { ProfileSummary } from './scale-profile';

export interface PeerResult {
  peer: string;
  command: string;
  exitCode: number | null;
  wallSeconds: number;
  peakRssMiB: number;
  /** (photometric + spec-z input rows) / wall seconds. */
  rowsPerSecond: number;
  outputRows: number | null;
  stdoutTail: string;
  pairs?: number;
  /** Same (spec-z id, objectId) pairs as the reference (ours, 1 worker). */
  agrees?: boolean;
  missing?: number;
  extra?: number;
}

export interface CaseResult {
  label: string;
  photRows: number;
  speczRows: number;
  photPartitions: number;
  reference?: string;
  peers: PeerResult[];
}

export interface Goals {
  label: string;
  speedupVsLsdb: number | null;
  memoryVsLsdb: number | null;
  vsFloor: number | null;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function ok(p: PeerResult | undefined): p is PeerResult {
  return p !== undefined && p.exitCode === 0 && p.agrees !== false;
}

/** Goal ratios of one case (null when a peer failed or disagreed). */
export function goalsOf(c: CaseResult): Goals {
  const get = (name: string) => c.peers.find((p) => p.peer === name);
  const ours = get('ours-w2');
  const lsdb = [get('lsdb-default'), get('lsdb-workers2')].filter(ok);
  const floor = get('floor-w2');
  const good = ok(ours);
  return {
    label: c.label,
    speedupVsLsdb:
      good && lsdb.length > 0
        ? Math.min(...lsdb.map((l) => l.wallSeconds)) / ours.wallSeconds
        : null,
    memoryVsLsdb:
      good && lsdb.length > 0 ? ours.peakRssMiB / Math.min(...lsdb.map((l) => l.peakRssMiB)) : null,
    vsFloor: good && floor?.exitCode === 0 ? ours.wallSeconds / floor.wallSeconds : null,
  };
}

const fmt = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));

/** Prints the per-peer table, the goals and the profile summary. */
export function printTables(report: {
  size?: string;
  machine: Record<string, unknown>;
  cases: CaseResult[];
  profile?: ProfileSummary;
}): void {
  const m = report.machine;
  console.log(
    `\nScale benchmark (${report.size}) — nproc ${m.nproc}, ${m.totalMemGiB} GiB, node ${m.node}, lsdb/dask ${m.lsdb}, load ${JSON.stringify(m.loadAverage)}`,
  );
  console.log(`| case | peer | wall s | peak RSS MiB | input rows/s | rows out | pairs agree |`);
  console.log(`|---|---|---:|---:|---:|---:|---|`);
  for (const c of report.cases) {
    for (const p of c.peers) {
      const agree =
        p.agrees === undefined
          ? '–'
          : p.agrees
            ? 'yes'
            : `NO (missing ${p.missing}, extra ${p.extra})`;
      const status = p.exitCode === 0 ? '' : ` (exit ${p.exitCode})`;
      console.log(
        `| ${c.label} | ${p.peer}${status} | ${fmt(p.wallSeconds, 1)} | ${p.peakRssMiB.toFixed(0)} | ${Math.round(p.rowsPerSecond).toLocaleString('en-US')} | ${p.outputRows ?? '–'} | ${agree} |`,
      );
    }
  }
  console.log(`\nGoals (ours = tsm run, 2 workers; LSDB = its best configuration):`);
  console.log(
    `| case | LSDB wall / ours (goal >= 3) | ours peak / LSDB peak (goal <= 0.5) | ours / floor (goal <= 1.5) |`,
  );
  console.log(`|---|---:|---:|---:|`);
  for (const c of report.cases) {
    const g = goalsOf(c);
    console.log(
      `| ${pad(g.label, 10)} | ${lpad(fmt(g.speedupVsLsdb), 5)} | ${fmt(g.memoryVsLsdb)} | ${fmt(g.vsFloor)} |`,
    );
  }
  if (report.profile) {
    console.log(`\nCPU profile of ours (1 worker), self time by file:`);
    for (const r of report.profile.byFile.slice(0, 15)) {
      console.log(
        `  ${lpad(r.selfMs.toFixed(0), 7)} ms ${lpad((100 * r.share).toFixed(1), 5)}%  ${r.name}`,
      );
    }
    console.log(`by function:`);
    for (const r of report.profile.byFunction.slice(0, 20)) {
      console.log(
        `  ${lpad(r.selfMs.toFixed(0), 7)} ms ${lpad((100 * r.share).toFixed(1), 5)}%  ${r.name}`,
      );
    }
  }
}
