import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors';
import { EXPORT_TARGETS, exportProject, writeExport, type ExportTarget } from '../export';
import { detectPhotometricId } from '../export/detect-id';
import { ignoredKeyWarning, loadProject, sanitizeName } from '../pipeline/project';
import { appVersion } from '../pipeline/run-record';
import type { CliIo, Command } from './command';
import { joinNegativeValues } from './args';

const USAGE = `Usage: tsm export --target lsdb|pzserver <project.tsm.json | config.yml> [--out DIR]

Writes a project for running elsewhere:
  --target lsdb       a self-contained Python job (tsm_job.py, requirements.txt, README.md, and
                      dustmaps/ when the project uses the embedded map) that does the same
                      crossmatch, photometry, dereddening, unique galaxies and split with LSDB on
                      a Dask cluster: a LocalCluster, or any dask.distributed scheduler given at
                      run time (python tsm_job.py --scheduler tcp://host:8786), so Slurm
                      (dask-jobqueue) and Kubernetes (dask-kubernetes) work the same way.
                      Default --out: ./<name>-lsdb-job
  --target pzserver   config.yml for the original Training Set Maker pipeline (LIneA Photo-z
                      Server); the project fields it cannot express are listed in a comment at the
                      top. Default --out: . (writes ./config.yml); --stdout prints it instead.

Options:
  --out DIR           output folder (created if needed; an earlier export's files are replaced,
                      any other file of the same name stops the export)
  --stdout            print the files instead of writing them
  --data-dir DIR      app data folder, for a project that names a registered spec-z catalog
                      (default ~/.tsm-data, as tsm run)
Relative paths in the project are made absolute against the project file's folder.`;

async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  const options = {
    target: { type: 'string' },
    out: { type: 'string' },
    stdout: { type: 'boolean' },
    'data-dir': { type: 'string' },
  } as const;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, options),
      allowPositionals: true,
      strict: true,
      options,
    });
  } catch (err) {
    throw new UserError(`${(err as Error).message}. See 'tsm export --help'.`);
  }
  const { values, positionals } = parsed;
  const target = values.target as string | undefined;
  if (!target || !EXPORT_TARGETS.includes(target as ExportTarget)) {
    throw new UserError(
      `--target must be ${EXPORT_TARGETS.join(' or ')} (got ${target === undefined ? 'nothing' : `'${target}'`})`,
    );
  }
  if (positionals.length !== 1) {
    throw new UserError(
      `give one project file (got ${positionals.length}${positionals.length ? `: ${positionals.join(', ')}` : ''})`,
    );
  }
  if (values.stdout && values.out !== undefined) {
    throw new UserError(
      `give --stdout (print the files) or --out ${values.out} (write them there), not both`,
    );
  }
  const file = resolve(positionals[0]);
  const project = await loadProject(file, {
    onIgnoredKey: (key) => io.err(`warning: ${ignoredKeyWarning(file, key)}`),
  });
  const result = exportProject(project, target as ExportTarget, {
    baseDir: dirname(file),
    dataDir: resolve(values['data-dir'] ?? join(homedir(), '.tsm-data')),
    tsmVersion: appVersion(),
    photometricIdColumn:
      target === 'pzserver' ? await detectPhotometricId(project, dirname(file)) : undefined,
  });
  if (values.stdout) {
    for (const f of result.files) {
      if (result.files.length > 1) io.out(`==> ${f.name} <==`);
      io.out(f.content.replace(/\n$/, ''));
    }
    return 0;
  }
  const defaultOut =
    target === 'lsdb' ? join(process.cwd(), `${sanitizeName(project.name)}-lsdb-job`) : '.';
  const outDir = resolve(values.out ?? defaultOut);
  const written = await writeExport(result, outDir);
  for (const path of written) io.out(path);
  for (const note of result.unsupported) io.err(`note: ${note}`);
  if (target === 'lsdb') {
    io.err(
      `Run it: cd ${outDir} && pip install -r requirements.txt && python tsm_job.py --workers 2`,
    );
  }
  return 0;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a project as an LSDB + Dask Python job or as the original pipeline config.yml',
  usage: USAGE,
  run,
};
