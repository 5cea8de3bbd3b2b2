import type { PhotometricProfile } from '../../../preload/api';

/**
 * The words of a flux type as the wizard's Flux type list says them (the catalog profile's label:
 * `cModel`, `GAaP 1.0"`), for the summary and the Runs page, which showed the project's id
 * (`cmodel`). Without the catalog (deleted, or an opened project's folder) the id is shown.
 */
export function fluxTypeLabel(fluxType: string, profile?: PhotometricProfile | null): string {
  const known = profile?.fluxTypes.find((f) => f.name === fluxType)?.label;
  if (known) return known;
  return fluxType === 'auto' ? "auto (the catalog's default)" : fluxType;
}

/**
 * The words of a dust map as the wizard's dereddening list says them (`SFD98 low resolution,
 * HEALPix NSIDE 64 (embedded, for offline demos)`), where the summary showed `sfd-lowres`; a
 * map file of the project (`/maps/my.fits`), or a map the catalog's profile does not list, is
 * shown as it is.
 */
export function dustMapLabel(map: string, profile?: PhotometricProfile | null): string {
  const known = profile?.dustMaps.find((d) => d.name === map)?.label;
  if (known) return known;
  return map === 'none' ? 'None' : map;
}

/** A label's first words, before its first ", " or " (": `SFD98`, `SFD98 low resolution`. */
export function shortLabel(label: string): string {
  return label.split(/, | \(/)[0] || label;
}
