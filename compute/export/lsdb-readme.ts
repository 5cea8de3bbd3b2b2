/** README.md of an exported LSDB job: how to install, run locally or on a cluster, and the caveats. */
import type { LsdbJobParams } from './lsdb';

const DUST_HELP: Record<string, string> = {
  none: 'No dust map is needed (dereddening off).',
  'sfd-lowres':
    'The embedded low-resolution SFD map (HEALPix NSIDE 64, demos only) is in `dustmaps/`.',
  sfd: 'Put `SFD_dust_4096_ngp.fits` and `SFD_dust_4096_sgp.fits` (Harvard Dataverse doi:10.7910/DVN/EWCNL5) in `dustmaps/` or `dustmaps/sfd/`, or give `--dust-maps DIR`.',
  csfd: 'Put `csfd_ebv.fits` (Zenodo record 8207175) in `dustmaps/` or `dustmaps/csfd/`, or give `--dust-maps DIR`.',
  planck:
    'Put `HFI_CompMap_ThermalDustModel_2048_R1.20.fits` (Planck Legacy Archive) in `dustmaps/` or `dustmaps/planck/`, or give `--dust-maps DIR`.',
};

export function lsdbReadme(params: LsdbJobParams, unsupported: string[]): string {
  const p = params.project;
  const notes = unsupported.length > 0 ? unsupported.map((u) => `- ${u}`).join('\n') : '- none';
  return `# Training set "${p.name}" on LSDB + Dask

Exported by \`tsm export --target lsdb\` (Training Set Maker ${params.tsmVersion}). \`tsm_job.py\`
does what \`tsm run\` does for this project: LSDB crossmatch of the spec-z catalog with the
photometric HATS catalog (radius ${p.crossmatch.radiusArcsec} arcsec, ${p.crossmatch.nNeighbors} neighbour(s), ${p.crossmatch.join} join) on a Dask
cluster, magnitudes and dereddening on the workers, then unique galaxies, one-to-one and the
train/test split (same keyed splitmix64 draw, so the same seed gives the same split) on the
client, written as \`${params.safeName}.${p.output.format}\` with \`run.json\` in \`${params.outputFolder}\`.

## Install

    python3 -m venv .venv && . .venv/bin/activate
    pip install -r requirements.txt

## Run

On this computer (a Dask LocalCluster, 2 workers by default):

    python tsm_job.py --workers 2

On a cluster: start a Dask scheduler and workers that can read the catalogs (Slurm with
dask-jobqueue \`SLURMCluster\`, Kubernetes with dask-kubernetes \`KubeCluster\`, or
\`dask scheduler\` / \`dask worker\` by hand), then give its address:

    python tsm_job.py --scheduler tcp://scheduler-host:8786

Options: \`--specz PATH\`, \`--photometry PATH_OR_URL\` and \`--out DIR\` replace the project's
locations (when the cluster sees the files under other paths); \`--dust-maps DIR\` is the
dust-map folder (default \`dustmaps/\` next to the script); \`--threads-per-worker\`,
\`--memory-limit\` size the LocalCluster. Exit code 2 with a message on bad inputs. The job does
not replace a training set that \`tsm run\` wrote in the output folder (or another training set's
\`run.json\`): give \`--out DIR\` to keep both. LSDB refuses a radius larger than the photometric
catalog's margin (the job then says so), where \`tsm run\` reads the neighbouring partitions.

Dust map: ${DUST_HELP[p.photometry.dereddening.map] ?? `the FITS file \`${params.dustMap}\` (read at that path).`}

## Inputs

- spec-z: \`${params.speczLocation}\` (CSV, Parquet, FITS or a HATS catalog)
- photometry: \`${params.photometryLocation}\` (HATS catalog or collection; its default margin is used)

## Differences from tsm run

${notes}
`;
}
