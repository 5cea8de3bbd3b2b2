/** The short text summary of a finished run, printed by `tsm run` and `tsm demo`. */
import { dirname } from 'node:path';
import { formatBytes, formatDuration } from './progress-printer';
import type { Project } from './project-schema';
import type { RunResult } from './run';
import { warningLine } from './warning-words';

const nf = new Intl.NumberFormat('en-US');

/** '1 row', '2 rows', '1,234 rows'. */
const counted = (n: number, noun: string, nouns = `${noun}s`) =>
  `${nf.format(n)} ${n === 1 ? noun : nouns}`;

export function summaryLines(project: Project, r: RunResult): string[] {
  const c = r.counts;
  const u = r.uniqueGalaxies;
  const speczIn = Number.isFinite(c.speczIn) ? nf.format(c.speczIn) : 'unknown';
  const unmatchedWhat =
    project.crossmatch.join === 'inner'
      ? 'not in the output (inner join)'
      : 'kept with empty photometry (left join)';
  const lines = [
    `Training set '${project.name}': ${counted(c.written, 'row')} written to ${r.outputPath} (${formatBytes(r.bytesWritten)})`,
    `  spec-z rows in       ${speczIn}`,
    `  matched              ${nf.format(c.matchedSpecz)} spec-z, ${counted(c.matchedRows, 'pair')} within ${project.crossmatch.radiusArcsec} arcsec (${project.crossmatch.nNeighbors} neighbour${project.crossmatch.nNeighbors > 1 ? 's' : ''} max)`,
    `  unmatched            ${Number.isFinite(c.unmatchedSpecz) ? nf.format(c.unmatchedSpecz) : 'unknown'} spec-z, ${unmatchedWhat}`,
    u
      ? `  unique galaxies      ${counted(u.groups, 'duplicate group')}: ${counted(u.kept, 'row')} kept, ${nf.format(u.dropped)} dropped, ${nf.format(u.unresolvedGroups)} unresolved (${counted(u.unresolvedRows, 'row')}, tie_result 2), ${counted(u.stars, 'star')}`
      : '  unique galaxies      off',
  ];
  if (r.oneToOneDropped !== null) {
    lines.push(
      `  one-to-one           ${counted(r.oneToOneDropped, 'row')} dropped (photometric object used by a nearer spec-z)`,
    );
  }
  lines.push(
    `  train / test         ${nf.format(c.train)} / ${nf.format(c.test)} (${r.split.method}, fraction ${r.split.trainFraction}, seed ${r.seed})`,
    `  run record           ${dirname(r.runJsonPath)}/run.json, config.yml`,
    `  time                 ${formatDuration(r.elapsedMs)} (${counted(r.pixels, 'pixel')}, ${formatBytes(r.bytesRead)} read, ${workerText(r.workers)})`,
  );
  for (const w of r.warnings ?? []) lines.push(`Warning: ${warningLine(w)}`);
  if (r.remote) {
    lines.push(
      `  remote               ${counted(r.remote.requests, 'request')}, ${formatBytes(r.remote.bytesDownloaded)} downloaded, ${formatBytes(r.remote.bytesFromCache)} from the cache (${counted(r.remote.urls.length, 'URL')} in run.json)`,
    );
  }
  return lines;
}

function workerText(workers: number): string {
  return workers === 0 ? 'in the main thread' : `${workers} worker thread${workers > 1 ? 's' : ''}`;
}
