/**
 * DES DR2 test catalog with its real column names: `COADD_OBJECT_ID`, `RA`, `DEC`, `TILENAME`,
 * `FLAGS_{G..Y}`, `EXTENDED_CLASS_COADD`, `EBV_SFD98`, `FLUX_AUTO_{B}`, `FLUXERR_AUTO_{B}`,
 * `MAG_AUTO_{B}`, `MAGERR_AUTO_{B}`, `MAG_AUTO_{B}_DERED`, `WAVG_MAG_PSF_{B}`,
 * `WAVG_MAGERR_PSF_{B}`, `WAVG_MAG_PSF_{B}_DERED` (dust-photometry.md §4.1, §5.2). Fluxes are
 * counts at zero point 30; like SExtractor, MAG/MAGERR are 99 where FLUX ≤ 0, WAVG values −99
 * where undetected, and `*_DERED = MAG − R_b·EBV_SFD98` applied to every value (sentinels too,
 * as DES does), with EBV_SFD98 from the embedded low-resolution SFD map.
 */
import { Int16, Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { intrinsicMagnitudes, noisyFlux } from './galaxies';
import type { Prng } from './prng';
import type { SkyObject } from './sky';

const BANDS = ['G', 'R', 'I', 'Z', 'Y'];
/** 5σ depths of DES DR2 coadds (10σ g 24.3 … Y 21.7, plus 0.75). */
const DEPTH = [25.0, 24.8, 24.3, 23.6, 22.4];
const R_DES = [3.186, 2.14, 1.569, 1.196, 1.048];

function tileName(raDeg: number, decDeg: number): string {
  const h = Math.floor(raDeg / 15);
  const m = Math.floor((raDeg / 15 - h) * 60);
  const sign = decDeg < 0 ? '-' : '+';
  const d = Math.floor(Math.abs(decDeg));
  const dm = Math.floor((Math.abs(decDeg) - d) * 60);
  const p = (v: number) => String(v).padStart(2, '0');
  return `DES${p(h)}${p(m)}${sign}${p(d)}${p(dm)}`;
}

const mag30 = (f: number) => 30 - 2.5 * Math.log10(f);

export function desTable(rng: Prng, objects: SkyObject[], ebv: Float64Array): Table {
  const n = objects.length;
  const columns: Record<string, ReturnType<typeof makeVector>> = {};
  columns.COADD_OBJECT_ID = makeVector(
    BigInt64Array.from(objects, (_, i) => BigInt(1000000000 + i * 113 + rng.int(100))),
  );
  columns.RA = makeVector(Float64Array.from(objects, (o) => o.raDeg));
  columns.DEC = makeVector(Float64Array.from(objects, (o) => o.decDeg));
  columns.TILENAME = vectorFromArray(
    objects.map((o) => tileName(o.raDeg, o.decDeg)),
    new Utf8(),
  );
  columns.EXTENDED_CLASS_COADD = vectorFromArray(
    objects.map(() => (rng.next() < 0.85 ? 3 : rng.int(3))),
    new Int16(),
  );
  columns.EBV_SFD98 = makeVector(Float32Array.from(ebv));
  const mags = objects.map(() => intrinsicMagnitudes(rng).slice(1));
  BANDS.forEach((B, k) => {
    columns[`FLAGS_${B}`] = vectorFromArray(
      objects.map(() => (rng.next() < 0.05 ? 3 : 0)),
      new Int16(),
    );
    const flux = new Float32Array(n);
    const fluxErr = new Float32Array(n);
    const mag = new Float32Array(n);
    const magErr = new Float32Array(n);
    const dered = new Float32Array(n);
    const wavg = new Float32Array(n);
    const wavgErr = new Float32Array(n);
    const wavgDered = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const a = R_DES[k] * ebv[i];
      const [f, s] = noisyFlux(rng, mags[i][k] + a, DEPTH[k], 30);
      flux[i] = f;
      fluxErr[i] = s;
      // MAG_AUTO from the stored float32 flux, so mag = 30 − 2.5 log10(FLUX_AUTO) holds exactly.
      mag[i] = flux[i] > 0 ? mag30(flux[i]) : 99;
      magErr[i] = flux[i] > 0 ? (1.0857362047581294 * fluxErr[i]) / flux[i] : 99;
      dered[i] = mag[i] - R_DES[k] * Math.fround(ebv[i]);
      const [fp, sp] = noisyFlux(rng, mags[i][k] + a + 0.3, DEPTH[k] + 0.3, 30);
      wavg[i] = fp > 0 ? mag30(fp) : -99;
      wavgErr[i] = fp > 0 ? (1.0857362047581294 * sp) / fp : -99;
      wavgDered[i] = wavg[i] - R_DES[k] * Math.fround(ebv[i]);
    }
    columns[`FLUX_AUTO_${B}`] = makeVector(flux);
    columns[`FLUXERR_AUTO_${B}`] = makeVector(fluxErr);
    columns[`MAG_AUTO_${B}`] = makeVector(mag);
    columns[`MAGERR_AUTO_${B}`] = makeVector(magErr);
    columns[`MAG_AUTO_${B}_DERED`] = makeVector(dered);
    columns[`WAVG_MAG_PSF_${B}`] = makeVector(wavg);
    columns[`WAVG_MAGERR_PSF_${B}`] = makeVector(wavgErr);
    columns[`WAVG_MAG_PSF_${B}_DERED`] = makeVector(wavgDered);
  });
  return new Table(columns);
}
