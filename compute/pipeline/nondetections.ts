import type { Table } from 'apache-arrow';
import { findFluxType, photometryColumnNames } from '../photometry/apply-photometry';
import type { TaskPhotometry } from './trainingset-task';

/**
 * Non-detections per band among the matched rows of a run, counted as the rows arrive: a
 * magnitude the photometry step left NaN (flux <= 0, NaN or null, or a catalog magnitude with
 * |m| >= 90; compute/photometry/magnitudes.ts). Read from `mag_<flux>_<band>`, else (a catalog
 * with dereddened magnitudes only) `mag_dered_<flux>_<band>`. Null for a run without magnitudes.
 */
export class NondetectionCounter {
  private readonly columns: { band: string; mag: string; magDered: string }[];
  private readonly counts = new Map<string, number>();

  constructor(photometry: TaskPhotometry) {
    const { fluxType, profile } = photometry;
    const ft = fluxType === null ? null : findFluxType(profile, fluxType);
    this.columns = ft
      ? ft.bands.map((b) => ({ band: b.band, ...photometryColumnNames(ft.id, b.band) }))
      : [];
  }

  add(table: Table, distColumn: string): void {
    const dist = table.getChild(distColumn);
    for (const c of this.columns) {
      const mag = table.getChild(c.mag) ?? table.getChild(c.magDered);
      if (!mag) continue;
      const values = mag.toArray() as Float64Array;
      let n = this.counts.get(c.band) ?? 0;
      for (let i = 0; i < values.length; i++) {
        const m = values[i];
        if (m !== m && (!dist || dist.isValid(i)) && mag.isValid(i)) n++;
      }
      this.counts.set(c.band, n);
    }
  }

  /** Band -> non-detections, in the profile's band order; null when no magnitude was made. */
  result(): Record<string, number> | null {
    if (this.counts.size === 0) return null;
    return Object.fromEntries(
      this.columns
        .filter((c) => this.counts.has(c.band))
        .map((c) => [c.band, this.counts.get(c.band)!]),
    );
  }
}
