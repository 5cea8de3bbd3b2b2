import { describe, expect, it } from 'vitest';
import { NearCells } from '../../../compute/crossmatch/near-cells';
import { boxSky, mulberry32 } from './sky';

const DEG = Math.PI / 180;

/** Haversine separation in degrees (independent of the cell bounds). */
function sepDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const s =
    Math.sin(((dec2 - dec1) * DEG) / 2) ** 2 +
    Math.cos(dec1 * DEG) * Math.cos(dec2 * DEG) * Math.sin(((ra2 - ra1) * DEG) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(s)))) / DEG;
}

describe('NearCells', () => {
  it('never rules out a position within the radius (ra wrap, poles, wide and all-round sets), and rules out most far ones', () => {
    const rand = mulberry32(5);
    let near = 0;
    let ruledOut = 0;
    let probes = 0;
    // [ra, dec, half-widths]: the wide box needs coarser cells than the radius (bitmap size cap),
    // the all-round band has its cells on the whole circle
    for (const [ra0, dec0, halfRa, halfDec] of [
      [0, 0, 0.05, 0.05],
      [359.99, 10, 0.05, 0.05],
      [120, 89.95, 0.05, 0.05],
      [200, -89.99, 0.05, 0.05],
      [45, -60, 0.05, 0.05],
      [180, 20, 25, 3],
      [90, 30, 180, 0.5],
    ]) {
      const radiusDeg = (1 + 2 * rand()) / 3600;
      const pts = boxSky(200, rand, ra0, dec0, halfRa, halfDec);
      const cells = NearCells.build(pts.raDeg, pts.decDeg, radiusDeg)!;
      const probe = boxSky(6000, rand, ra0, dec0, 1.2 * halfRa, 1.2 * halfDec);
      // Probes just inside the radius of a point, in a random direction.
      for (let i = 0; i < 2000; i++) {
        const p = Math.floor(rand() * 200);
        const pa = 2 * Math.PI * rand();
        const d = radiusDeg * 0.999 * rand();
        const dec = pts.decDeg[p] + d * Math.cos(pa);
        if (Math.abs(dec) > 90) continue;
        probe.raDeg[i] = pts.raDeg[p] + (d * Math.sin(pa)) / Math.cos(pts.decDeg[p] * DEG);
        probe.decDeg[i] = dec;
      }
      for (let i = 0; i < probe.raDeg.length; i++) {
        let min = Infinity;
        for (let j = 0; j < 200; j++)
          min = Math.min(min, sepDeg(probe.raDeg[i], probe.decDeg[i], pts.raDeg[j], pts.decDeg[j]));
        const may = cells.mayBeNear(probe.raDeg[i], probe.decDeg[i]);
        if (min < radiusDeg) {
          near++;
          expect(may).toBe(true);
        } else if (Math.abs(dec0) < 80) {
          // Away from the poles (where whole dec rows are marked) most far probes are ruled out.
          probes++;
          if (!may) ruledOut++;
        }
      }
    }
    expect(near).toBeGreaterThan(5000);
    expect(ruledOut).toBeGreaterThan(0.8 * probes);
  });

  it('keeps nothing of the previous filter (its bitmap is reused)', () => {
    const rand = mulberry32(9);
    const radiusDeg = 1 / 3600;
    const first = boxSky(300, rand, 50, 10, 0.05, 0.05);
    NearCells.build(first.raDeg, first.decDeg, radiusDeg);
    // the same box, so the same cells: marks left over from the first set would let its points in
    const second = boxSky(300, rand, 50, 10, 0.05, 0.05);
    const cells = NearCells.build(second.raDeg, second.decDeg, radiusDeg)!;
    let farFromSecond = 0;
    let letIn = 0;
    for (let i = 0; i < first.raDeg.length; i++) {
      let min = Infinity;
      for (let j = 0; j < second.raDeg.length; j++) {
        min = Math.min(
          min,
          sepDeg(first.raDeg[i], first.decDeg[i], second.raDeg[j], second.decDeg[j]),
        );
      }
      if (min < 6 * radiusDeg) continue;
      farFromSecond++;
      if (cells.mayBeNear(first.raDeg[i], first.decDeg[i])) letIn++;
    }
    expect(farFromSecond).toBeGreaterThan(150);
    expect(letIn).toBe(0);
    for (let j = 0; j < second.raDeg.length; j++) {
      expect(cells.mayBeNear(second.raDeg[j], second.decDeg[j])).toBe(true);
    }
  });

  it('gives no filter for an invalid dec and lets an invalid probe through', () => {
    expect(NearCells.build([10], [95], 1 / 3600)).toBeNull();
    const cells = NearCells.build([10], [0], 1 / 3600)!;
    expect(cells.mayBeNear(10, 0)).toBe(true);
    expect(cells.mayBeNear(10, 1)).toBe(false);
    expect(cells.mayBeNear(190, 180)).toBe(true);
    expect(cells.mayBeNear(10, Number.NaN)).toBe(true);
  });
});
