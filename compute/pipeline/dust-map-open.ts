/**
 * Opens a run's dust map so that `close()` releases every file it opened. `openDustMap` of
 * compute/photometry reads the primary header of a map given by path through a file source that,
 * for SFD files, it then replaces without closing (one descriptor left open per call, per thread).
 * SFD files given by path are therefore opened here the same way (header probe closed, then
 * `openSfdMap` with the hemisphere pair when the name follows SFD's); everything else goes to
 * `openDustMap` unchanged.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { UserError } from '../errors';
import type { DustMap } from '../photometry/dust-map';
import { KNOWN_MAPS, openDustMap } from '../photometry/dust-maps';
import { readFitsHeaders } from '../photometry/fits';
import { MapFileSource } from '../photometry/map-file';
import { openSfdMap } from '../photometry/sfd-map';

/** True when the FITS file at `path` is an SFD hemisphere file (its header has LAM_NSGP). */
async function isSfdFile(path: string): Promise<boolean> {
  const probe = new MapFileSource(path);
  try {
    const [primary] = await readFitsHeaders(probe, 1);
    return primary?.cards.has('LAM_NSGP') ?? false;
  } finally {
    await probe.close();
  }
}

/** `openDustMap(spec, { folder })`, without leaving a file open once the map is closed. */
export async function openRunDustMap(spec: string, folder: string | null): Promise<DustMap> {
  const isPath = isAbsolute(spec) && !(spec.toLowerCase() in KNOWN_MAPS);
  if (!isPath || !existsSync(spec) || !(await isSfdFile(spec))) {
    return openDustMap(spec, { folder });
  }
  // SFD's own names come in pairs (both hemispheres needed); any other SFD file is read alone.
  if (!/SFD_dust_4096_(ngp|sgp)\.fits$/i.test(spec)) {
    return openSfdMap(new MapFileSource(spec), null, 'bilinear', 'sfd');
  }
  const ngp = spec.replace(/_sgp\.fits$/i, '_ngp.fits');
  const sgp = spec.replace(/_ngp\.fits$/i, '_sgp.fits');
  for (const p of [ngp, sgp]) {
    if (!existsSync(p)) {
      throw new UserError(
        `SFD map ${p} is missing (both hemispheres are needed). Download from ${KNOWN_MAPS.sfd.source}.`,
      );
    }
  }
  return openSfdMap(new MapFileSource(ngp), new MapFileSource(sgp), 'bilinear', 'sfd');
}
