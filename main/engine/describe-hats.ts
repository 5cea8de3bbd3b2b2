import { openHats } from '../../compute/hats';
import { checkObjectCatalog } from '../../compute/hats/open';
import type { HttpOptionsInput } from '../../compute/hats/http-options';
import { openStore } from '../../compute/hats/store';
import { pixelBoundary, pixelCenter } from '../../compute/healpix';
import { detectDustMaps } from '../../compute/photometry/dust-maps';
import { detectProfile } from '../../compute/photometry/detect-profile';
import { HATS_PARTITION_COLUMNS } from '../../compute/pipeline/specz-source';
import type { SurveyProfile } from '../../compute/photometry/profiles';
import type { NamedOption, PhotometricProfile } from '../../preload/api';
import type { CatalogDescription } from '../catalog-registry';

/** Most partition centres sent to the coverage map (a survey can have 100k partitions). */
export const MAX_COVERAGE_POINTS = 5000;
/** Most partitions drawn as outlines (beyond, only their centres). */
export const MAX_OUTLINES = 1500;

/** A pixel's boundary as a closed ring, with more samples for large (low-order) pixels. */
function outline(order: number, pixel: number): [number, number][] {
  const step = order <= 2 ? 8 : order <= 5 ? 2 : 1;
  const ring = pixelBoundary(order, pixel, step).map((p): [number, number] => [p.raDeg, p.decDeg]);
  return [...ring, ring[0]];
}

/**
 * Dust maps a catalog can use: none, SFD, every other map present in the dust-map folder and the
 * embedded low-resolution SFD (compute/photometry/dust-maps.ts). A catalog without flux or
 * magnitude columns the profile knows gets `none` only.
 */
export function dustMapOptions(profile: SurveyProfile, dustMapDir: string): NamedOption[] {
  const none = { name: 'none', label: 'None' };
  if (profile.fluxTypes.length === 0) return [none];
  // SFD, the default (tsm run's and the original service's), is offered whether its files are
  // there or not: without them the field says where to get them (main/dust-map-issues.ts), where
  // the wizard chose None without a word
  const offered = detectDustMaps(dustMapDir || null).filter((m) => m.present || m.name === 'sfd');
  return [none, ...offered.map((m) => ({ name: m.name, label: m.label }))];
}

/** The profile as the wizard needs it: which flux types and dust maps to offer. */
export function profileInfo(profile: SurveyProfile, dustMapDir: string): PhotometricProfile {
  return {
    id: profile.id,
    label: profile.label,
    bands: profile.bands,
    fluxTypes: profile.fluxTypes.map((f) => ({ name: f.id, label: f.label })),
    dustMaps: dustMapOptions(profile, dustMapDir),
    canConvertToMag: profile.fluxTypes.some((f) => f.bands.some((b) => b.flux !== undefined)),
  };
}

/**
 * Opens a HATS catalog or collection (folder or URL; compute/hats) and describes it for the
 * catalogs page: row count (`hats_nrows`), columns, partitions, their centres on the sky
 * (compute/healpix pixelCenter) and, for photometry, the detected survey profile. `remote`: the
 * settings of an http(s) location (the app's cache size, run-engine.ts remoteSettings); `signal`
 * stops its requests and retries (the user cancelled adding the catalog).
 */
export async function describeHats(
  location: string,
  options: {
    dustMapDir: string;
    withProfile: boolean;
    remote?: HttpOptionsInput;
    signal?: AbortSignal;
  },
): Promise<CatalogDescription> {
  const { remote, signal } = options;
  const opened = await openHats(
    remote || signal ? openStore(location, { ...remote, ...(signal ? { signal } : {}) }) : location,
  );
  const catalog = opened.kind === 'collection' ? opened.main : opened;
  // a photometric catalog is crossmatched: refused now, not at its first run
  if (options.withProfile) checkObjectCatalog(catalog);
  const partitions = catalog.partitions;
  let skyFraction = 0;
  for (const p of partitions) skyFraction += 1 / (12 * 4 ** p.order);
  const step = Math.max(1, Math.ceil(partitions.length / MAX_COVERAGE_POINTS));
  const points = [];
  for (let i = 0; i < partitions.length; i += step) {
    const { order, pixel } = partitions[i];
    const centre = pixelCenter(order, pixel);
    points.push({ raDeg: centre.raDeg, decDeg: centre.decDeg, order });
  }
  // old (hats v0.1) leaf files still hold the partition columns: not data, never a band
  const columns = catalog.schema.fields
    .filter((f) => !HATS_PARTITION_COLUMNS.includes(f.name))
    .map((f) => ({ name: f.name, type: String(f.type) }));
  const description: CatalogDescription = {
    name: opened.name || catalog.name,
    location,
    rowCount: catalog.totalRows ?? null,
    columns,
    partitions: partitions.length,
    coverage: {
      points,
      skyFraction,
      outlines:
        partitions.length <= MAX_OUTLINES
          ? partitions.map((p) => outline(p.order, p.pixel))
          : undefined,
    },
  };
  if (options.withProfile) {
    const profile = detectProfile({
      columns: columns.map((c) => c.name),
      obsCollection: catalog.name,
      raColumn: catalog.raColumn || undefined,
      decColumn: catalog.decColumn || undefined,
      location,
    });
    description.profile = profileInfo(profile, options.dustMapDir);
  }
  return description;
}
