/**
 * Opens a run's dust map. `openDustMap` closes every file it opens (the header probe of an SFD
 * file given by path included) when the map is closed or when opening fails, so the run needs
 * no workaround of its own any more.
 */
import type { DustMap } from '../photometry/dust-map';
import { openDustMap } from '../photometry/dust-maps';

/** `openDustMap(spec, { folder })`: a name (sfd, csfd, planck, sfd-lowres) or a FITS path. */
export function openRunDustMap(spec: string, folder: string | null): Promise<DustMap> {
  return openDustMap(spec, { folder });
}
