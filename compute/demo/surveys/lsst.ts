/**
 * LSST DP0.2 and DP1 Object-table test catalogs with their real column names
 * (`objectId`, `coord_ra`, `coord_dec`, `{b}_cModelFlux[Err]`, `{b}_gaap1p0Flux[Err]`,
 * `{b}_psfFlux[Err]` in nJy, `detect_isPrimary` for DP0.2, `ebv` and `refBand` for DP1).
 */
import { Bool, Float32, Float64, Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { BANDS6, intrinsicMagnitudes, noisyFlux } from './galaxies';
import type { Prng } from './prng';
import type { SkyObject } from './sky';

/** Coadd 5σ point-source depths (DP0.2-like). */
const DEPTH = [25.6, 26.8, 26.9, 26.3, 25.6, 24.8];
/** R_b used to redden the intrinsic magnitudes (RAIL CCM values, as the DP0.2/DP1 profile). */
const R_LSST = [4.81, 3.64, 2.7, 2.06, 1.58, 1.31];
const MODELS: [string, number][] = [
  ['cModel', 1],
  ['gaap1p0', 0.85],
  ['psf', 0.7],
];

export function lsstTable(
  rng: Prng,
  objects: SkyObject[],
  ebv: Float64Array,
  release: 'dp02' | 'dp1',
): Table {
  const n = objects.length;
  const float = release === 'dp02' ? Float64 : Float32;
  const columns: Record<string, ReturnType<typeof makeVector>> = {};
  const ids = new BigInt64Array(n);
  const base = release === 'dp02' ? 1249537790362809000n : 609782208818774000n;
  for (let i = 0; i < n; i++) ids[i] = base + BigInt(i * 37 + rng.int(30));
  columns.objectId = makeVector(ids);
  columns.coord_ra = makeVector(Float64Array.from(objects, (o) => o.raDeg));
  columns.coord_dec = makeVector(Float64Array.from(objects, (o) => o.decDeg));
  if (release === 'dp02') {
    // About 12% of rows are not primary (deblended parents, patch/tract overlaps); counterparts are.
    columns.detect_isPrimary = vectorFromArray(
      objects.map((o) => o.counterpartOf >= 0 || rng.next() > 0.12),
      new Bool(),
    );
  } else {
    columns.ebv = makeVector(Float32Array.from(ebv));
    columns.refBand = vectorFromArray(
      objects.map(() => 'i'),
      new Utf8(),
    );
    columns.detect_isIsolated = vectorFromArray(
      objects.map(() => rng.next() > 0.2),
      new Bool(),
    );
    columns.detect_fromBlend = vectorFromArray(
      objects.map(() => rng.next() < 0.15),
      new Bool(),
    );
    columns.parentObjectId = makeVector(new BigInt64Array(n));
  }
  columns.refExtendedness = makeVector(
    Float64Array.from(objects, () => (rng.next() < 0.9 ? 1 : 0)),
  );
  columns.tract = makeVector(BigInt64Array.from(objects, (o) => BigInt(Math.floor(o.raDeg * 10))));
  columns.patch = makeVector(BigInt64Array.from(objects, () => BigInt(rng.int(49))));
  const mags = objects.map(() => intrinsicMagnitudes(rng));
  BANDS6.forEach((b, k) => {
    for (const [model, scale] of MODELS) {
      const flux: (number | null)[] = [];
      const err: (number | null)[] = [];
      for (let i = 0; i < n; i++) {
        const observed = mags[i][k] + R_LSST[k] * ebv[i];
        const [f, s] = noisyFlux(rng, observed, DEPTH[k], 31.4, scale);
        const roll = rng.next();
        // Missing measurements: ~2% null (no data) and ~1% NaN (failed fit), as in real tables.
        if (roll < 0.02) {
          flux.push(null);
          err.push(null);
        } else if (roll < 0.03) {
          flux.push(Number.NaN);
          err.push(Number.NaN);
        } else {
          flux.push(f);
          err.push(s);
        }
      }
      columns[`${b}_${model}Flux`] = vectorFromArray(flux, new float());
      columns[`${b}_${model}FluxErr`] = vectorFromArray(err, new float());
    }
  });
  return new Table(columns);
}
