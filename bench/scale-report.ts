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
  cpuSeconds: number | null;
  /** (photometric + spec-z input rows) / wall seconds. */
  rowsPerSecond: number;
  outputRows: number | null;
  stdoutTail: string;
  pairs?: number;
  /** Same (spec-z id, objectId) pairs as the reference (ours, 1 worker). */
  agrees?: boolean;
  missing?: number;
  extra?: number;
  /** Every run's figures when the case ran more than once (the figures above are medians). */
  runs?: {
    wallSeconds: number;
    cpuSeconds: number | null;
    peakRssMiB: number;
    exitCode: number | null;
  }[];
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
  /** The configuration of ours used (the faster of ours-w1 and ours-w2). */
  ours: string | null;
  /** LSDB CPU seconds / ours (a ratio less sensitive to a shared, loaded machine). */
  cpuVsLsdb: number | null;
  memoryVsLsdb: number | null;
  vsFloor: number | null;
}

const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function ok(p: PeerResult | undefined): p is PeerResult {
  return p !== undefined && p.exitCode === 0 && p.agrees !== false;
}

const fastest = (ps: PeerResult[]): PeerResult | undefined =>
  ps.reduce<PeerResult | undefined>(
    (a, b) => (!a || b.wallSeconds < a.wallSeconds ? b : a),
    undefined,
  );

/**
 * Goal ratios of one case (null when a peer failed or disagreed) for one configuration of ours
 * (default: the faster of 1 and 2 workers). LSDB gets its best: the faster (for time) and the
 * leaner (for memory) of its two; the floor is the faster of 1 and 2 workers.
 */
export function goalsOf(c: CaseResult, oursPeers = ['ours-w1', 'ours-w2']): Goals {
  const get = (names: string[]) => c.peers.filter((p) => names.includes(p.peer)).filter(ok);
  const ours = fastest(get(oursPeers));
  const lsdb = get(['lsdb-default', 'lsdb-workers2']);
  const floor = fastest(get(['floor-w1', 'floor-w2']));
  const lsdbCpu = lsdb.map((l) => l.cpuSeconds).filter((x): x is number => x !== null);
  return {
    label: c.label,
    ours: ours?.peer ?? null,
    speedupVsLsdb:
      ours && lsdb.length > 0
        ? Math.min(...lsdb.map((l) => l.wallSeconds)) / ours.wallSeconds
        : null,
    cpuVsLsdb:
      ours?.cpuSeconds && lsdbCpu.length > 0 ? Math.min(...lsdbCpu) / ours.cpuSeconds : null,
    memoryVsLsdb:
      ours && lsdb.length > 0 ? ours.peakRssMiB / Math.min(...lsdb.map((l) => l.peakRssMiB)) : null,
    vsFloor: ours && floor ? ours.wallSeconds / floor.wallSeconds : null,
  };
}

const fmt = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));

/** Prints the per-peer table, the goals and the profile summary. */
export function printTables(report: {
  size?: string;
  repeat?: number;
  machine: Record<string, unknown>;
  cases: CaseResult[];
  profile?: ProfileSummary;
}): void {
  const m = report.machine;
  console.log(
    `\nScale benchmark (${report.size}${(report.repeat ?? 1) > 1 ? `, median of ${report.repeat} interleaved runs` : ''}) — nproc ${m.nproc}, ${m.totalMemGiB} GiB, node ${m.node}, lsdb/dask ${m.lsdb}, load ${JSON.stringify(m.loadAverage)}`,
  );
  console.log(
    `| case | peer | wall s | CPU s | peak RSS MiB | input rows/s | rows out | pairs agree |`,
  );
  console.log(`|---|---|---:|---:|---:|---:|---:|---|`);
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
        `| ${c.label} | ${p.peer}${status} | ${fmt(p.wallSeconds, 1)} | ${fmt(p.cpuSeconds, 1)} | ${p.peakRssMiB.toFixed(0)} | ${Math.round(p.rowsPerSecond).toLocaleString('en-US')} | ${p.outputRows ?? '–'} | ${agree} |`,
      );
    }
  }
  console.log(`\nGoals per configuration of ours (LSDB in its best, see goalsOf):`);
  console.log(
    `| case | ours | LSDB wall / ours (goal >= 3) | LSDB CPU / ours | ours peak / LSDB peak (goal <= 0.5) | ours / floor (goal <= 1.5) |`,
  );
  console.log(`|---|---|---:|---:|---:|---:|`);
  for (const c of report.cases) {
    for (const peer of ['ours-w1', 'ours-w2', 'ours-default']) {
      const g = goalsOf(c, [peer]);
      if (!g.ours) continue;
      console.log(
        `| ${g.label} | ${g.ours} | ${fmt(g.speedupVsLsdb)} | ${fmt(g.cpuVsLsdb)} | ${fmt(g.memoryVsLsdb)} | ${fmt(g.vsFloor)} |`,
      );
    }
  }
  if (report.cases.length > 1) {
    const line = report.cases
      .map((c) => {
        const p = c.peers.find((x) => x.peer === 'ours-w2' && x.exitCode === 0);
        return `${c.label}: ${p ? p.peakRssMiB.toFixed(0) : '?'} MiB`;
      })
      .join('; ');
    console.log(`\nPeak memory of ours (2 workers) by case: ${line}`);
  }
  if (report.profile) {
    console.log(`\nCPU profile of ours (1 worker), self time by file:`);
    for (const r of report.profile.byFile.slice(0, 15)) {
      console.log(
        `  ${lpad(r.selfMs.toFixed(0), 7)} ms ${lpad((100 * r.share).toFixed(1), 5)}%  ${r.name}`,
      );
    }
    for (const t of report.profile.threads) {
      console.log(`thread ${t.file} (${(t.ms / 1000).toFixed(1)} s busy), self time by function:`);
      for (const r of t.byFunction.slice(0, 15)) {
        console.log(
          `  ${lpad(r.selfMs.toFixed(0), 7)} ms ${lpad((100 * r.share).toFixed(1), 5)}%  ${r.name}`,
        );
      }
    }
  }
}
