import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MapFileSource } from '../../../compute/photometry/map-file';
import { DUST } from '../../fixtures';

const FILE = join(DUST, 'sfdmap-SFD_dust_4096_ngp_cutout.fits');

describe('MapFileSource', () => {
  it('reads byte ranges equal to the file, across a close and reopen', async () => {
    const whole = readFileSync(FILE);
    const src = new MapFileSource(FILE);
    expect(await src.size()).toBe(whole.length);
    expect(await src.read(2880, 2900)).toEqual(new Uint8Array(whole.subarray(2880, 2900)));
    await src.close();
    expect(await src.read(0, 6)).toEqual(new Uint8Array(whole.subarray(0, 6)));
    await src.close();
  });

  it('rejects a range outside the file, naming it', async () => {
    const src = new MapFileSource(FILE);
    await expect(src.read(0, 1e9)).rejects.toThrow(
      /sfdmap-SFD_dust_4096_ngp_cutout\.fits: byte range/,
    );
  });
});
