/** The short text summary of a finished run, printed by `tsm run` and `tsm demo`. */
import { dirname } from 'node:path';
import { formatBytes, formatDuration } from './progress-printer';
import type { Project } from './project-schema';
import type { RunResult } from './run';

const nf = new Intl.NumberFormat('en-US');

export function summaryLines(project: Project, r: RunResult): string[] {
  const c = r.counts;
  const u = r.uniqueGalaxies;
  const speczIn = Number.isFinite(c.speczIn) ? nf.format(c.speczIn) : 'unknown';
  const unmatchedWhat =
    project.crossmatch.join === 'inner'
      ? 'not in the output (inner join)'
      : 'kept with empty photometry (left join)';
  const lines = [
    `Training set '${project.name}': ${nf.format(c.written)} rows written to ${r.outputPath} (${formatBytes(r.bytesWritten)})`,
    `  spec-z rows in       ${speczIn}`,
    `  matched              ${nf.format(c.matchedSpecz)} spec-z, ${nf.format(c.matchedRows)} pairs within ${project.crossmatch.radiusArcsec} arcsec (${project.crossmatch.nNeighbors} neighbour${project.crossmatch.nNeighbors > 1 ? 's' : ''} max)`,
    `  unmatched            ${Number.isFinite(c.unmatchedSpecz) ? nf.format(c.unmatchedSpecz) : 'unknown'} spec-z, ${unmatchedWhat}`,
    u
      ? `  unique galaxies      ${nf.format(u.groups)} duplicate groups: ${nf.format(u.kept)} rows kept, ${nf.format(u.dropped)} dropped, ${nf.format(u.unresolvedGroups)} unresolved (${nf.format(u.unresolvedRows)} rows, tie_result 2), ${nf.format(u.stars)} stars`
      : '  unique galaxies      off',
  ];
  if (r.oneToOneDropped !== null) {
    lines.push(
      `  one-to-one           ${nf.format(r.oneToOneDropped)} rows dropped (photometric object used by a nearer spec-z)`,
    );
  }
  lines.push(
    `  train / test         ${nf.format(c.train)} / ${nf.format(c.test)} (${r.split.method}, fraction ${r.split.trainFraction}, seed ${r.seed})`,
    `  run record           ${dirname(r.runJsonPath)}/run.json, config.yml`,
    `  time                 ${formatDuration(r.elapsedMs)} (${r.pixels} pixels, ${formatBytes(r.bytesRead)} read, ${workerText(r.workers)})`,
  );
  for (const w of r.warnings ?? []) lines.push(`Warning: ${w}`);
  if (r.remote) {
    lines.push(
      `  remote               ${nf.format(r.remote.requests)} requests, ${formatBytes(r.remote.bytesDownloaded)} downloaded, ${formatBytes(r.remote.bytesFromCache)} from the cache (${r.remote.urls.length} URLs in run.json)`,
    );
  }
  return lines;
}

function workerText(workers: number): string {
  return workers === 0 ? 'in the main thread' : `${workers} worker thread${workers > 1 ? 's' : ''}`;
}
