/**
 * `tsm demo`: a real run on shipped data. The original TSM's example spec-z catalog
 * (compute/demo/data/specz.parquet, MIT) is crossmatched against three generated photometric
 * catalogs with the real columns of LSST DP0.2, LSST DP1 and DES DR2 (compute/demo/surveys),
 * with the embedded low-resolution SFD map, unique galaxies on and a seeded split. Each survey's
 * project is saved beside its output, so it can be opened in the app or re-run with `tsm run`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSurveyCatalogs, readSpeczPositions } from './surveys';
import type { RunProgress } from '../pipeline/progress';
import { saveProject } from '../pipeline/project';
import type { OutputFormat, Project } from '../pipeline/project-schema';
import { runTrainingSet, type RunResult } from '../pipeline/run';
import { makeFolder } from '../io/make-folder';

export const DEMO_SPECZ_FILE = 'specz.parquet';

/**
 * The shipped demo spec-z file, found from this module upward (sources: compute/demo/data;
 * bundle: <root>/compute/demo/data). `TSM_DEMO_DATA` (a folder) overrides it.
 */
export function demoSpeczPath(): string {
  const env = process.env.TSM_DEMO_DATA;
  if (env) return join(env, DEMO_SPECZ_FILE);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    for (const rel of ['data', join('compute', 'demo', 'data')]) {
      const candidate = join(dir, rel, DEMO_SPECZ_FILE);
      if (existsSync(candidate)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`demo data ${DEMO_SPECZ_FILE} not found near ${fileURLToPath(import.meta.url)}`);
}

export interface DemoOptions {
  /** Output folder (default ./demo-output). */
  outDir?: string;
  seed?: number;
  format?: OutputFormat;
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (survey: string, progress: RunProgress) => void;
  /** Called when a survey's run starts. */
  onSurvey?: (survey: string, project: Project) => void;
}

export interface DemoRun {
  survey: string;
  catalog: string;
  catalogRows: number;
  projectFile: string;
  project: Project;
  result: RunResult;
}

/** Generates the survey catalogs and runs one project per survey. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun[]> {
  const outDir = resolve(options.outDir ?? 'demo-output');
  const seed = options.seed ?? 42;
  const speczPath = demoSpeczPath();
  await makeFolder(outDir);
  const catalogs = await generateSurveyCatalogs(join(outDir, 'catalogs'), {
    seed,
    specz: await readSpeczPositions(speczPath),
  });
  const runs: DemoRun[] = [];
  for (const cat of catalogs) {
    const projectFile = join(outDir, `${cat.survey}.tsm.json`);
    const project = await saveProject(projectFile, {
      version: 1,
      name: `demo ${cat.survey}`,
      description: `tsm demo: the original TSM example spec-z against a generated ${cat.survey} catalog`,
      specz: { path: speczPath, columns: { id: 'id' } },
      photometry: { location: cat.path, dereddening: { map: 'sfd-lowres' } },
      crossmatch: { radiusArcsec: 1, nNeighbors: 1 },
      uniqueGalaxies: { enabled: true },
      split: { method: 'random', trainFraction: 0.7, seed },
      output: { format: options.format ?? 'parquet', folder: join(outDir, cat.survey) },
    });
    options.onSurvey?.(cat.survey, project);
    const result = await runTrainingSet(project, {
      workers: options.workers,
      signal: options.signal,
      projectFile,
      baseDir: outDir,
      onProgress: (p) => options.onProgress?.(cat.survey, p),
    });
    runs.push({
      survey: cat.survey,
      catalog: cat.path,
      catalogRows: cat.rows,
      projectFile,
      project,
      result,
    });
  }
  return runs;
}
