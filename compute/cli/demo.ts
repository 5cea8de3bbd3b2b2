import { parseArgs } from 'node:util';
import { runDemo } from '../demo/demo';
import { UserError } from '../errors';
import { createProgressPrinter } from '../pipeline/progress-printer';
import { OUTPUT_FORMATS, type OutputFormat } from '../pipeline/project-schema';
import { summaryLines } from '../pipeline/run-summary';
import type { CliIo, Command } from './command';
import { workersOption } from './run';
import { intOption, joinNegativeValues } from './args';

const USAGE = `Usage: tsm demo [--out DIR] [--seed N] [--format FMT] [--workers N]

Runs real training-set projects on shipped data: the original Training Set Maker's example
spec-z catalog (80 redshifts, MIT) crossmatched against three small generated catalogs with the
columns of LSST DP0.2, LSST DP1 and DES DR2 (radius 1 arcsec, magnitudes, dereddening with the
embedded low-resolution SFD map, unique galaxies, random split 0.7). Prints what happened and
where the files are.

  --out DIR       output folder (default ./demo-output)
  --seed N        catalog generator and split seed (default 42)
  --format FMT    parquet, csv, fits, hdf5 or hats (default parquet)
  --workers N     worker threads (default: chosen per run as by tsm run; 0 = in this thread)

Each survey gets <out>/<survey>/ (training set, run.json, config.yml) and <out>/<survey>.tsm.json
(the project, to open in the app or re-run with 'tsm run').`;

async function run(argv: string[], io: CliIo): Promise<number> {
  let values;
  const options = {
    out: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string' },
    workers: { type: 'string' },
  } as const;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      strict: true,
    }));
  } catch (err) {
    throw new UserError(`${(err as Error).message}. See 'tsm demo --help'.`);
  }
  const format = (values.format ?? 'parquet') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UserError(
      `--format must be one of ${OUTPUT_FORMATS.join(', ')} (got '${values.format}')`,
    );
  }
  const printer = createProgressPrinter(io.isTTY ? 'bar' : 'none', (text) =>
    process.stderr.write(text),
  );
  const out = values.out ?? 'demo-output';
  io.out(
    `tsm demo: generating LSST DP0.2, LSST DP1 and DES DR2 test catalogs in ${out}/catalogs ...`,
  );
  let runs;
  try {
    runs = await runDemo({
      outDir: out,
      seed: intOption('demo', values.seed, 'seed', 42, 0),
      format,
      workers: values.workers === undefined ? undefined : workersOption(values.workers),
      signal: io.signal,
      onSurvey: () => printer.end(),
      onProgress: (_survey, p) => printer(p),
    });
  } finally {
    printer.end();
  }
  for (const r of runs) {
    io.out('');
    io.out(`${r.survey}: ${r.catalogRows} photometric objects in ${r.catalog}`);
    for (const line of summaryLines(r.project, r.result)) io.out(`  ${line}`);
    io.out(`    project file         ${r.projectFile}`);
  }
  io.out('');
  io.out(
    `Done. Open the projects in the app, or re-run one with: tsm run ${runs[0]?.projectFile ?? ''}`,
  );
  return 0;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run training-set projects on shipped data (LSST DP0.2, DP1, DES DR2 profiles)',
  usage: USAGE,
  run,
};
