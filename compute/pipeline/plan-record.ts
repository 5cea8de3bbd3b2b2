/** The part of run.json that describes the plan: inputs, crossmatch settings, photometry. */
import { photometryRecord } from '../photometry/photometry-record';
import type { RunPlan } from './run-plan';

/**
 * run.json's `inputs`, `crossmatch`, `photometry` and `dustMapRef` for a plan; `nondetections`:
 * the run's per band (nondetections.ts), recorded with the photometry.
 */
export function planRecord(
  plan: RunPlan,
  bytesRead: number,
  nondetections: Record<string, number> | null = null,
) {
  return {
    inputs: {
      specz: {
        location: plan.specz.catalog.location,
        kind: plan.specz.kind,
        rows: plan.specz.rowsIn,
        // as the output names them (a file's radians ra_rad is written in degrees as ra)
        columns: plan.speczColumns,
      },
      photometry: {
        location: plan.photometry.location,
        margin: plan.margin?.location ?? null,
        marginThresholdArcsec: plan.margin?.marginThresholdArcsec ?? null,
        profile: {
          id: plan.profile.id,
          label: plan.profile.label,
          detectedBy: plan.profile.detectedBy,
        },
      },
    },
    crossmatch: {
      radiusArcsec: plan.options.radiusArcsec,
      nNeighbors: plan.options.nNeighbors,
      join: plan.options.how,
      useMargin: plan.options.useMargin,
      borderRows: plan.options.borderRows,
      pixels: plan.tasks.length,
      bytesRead,
    },
    photometry: plan.taskPhotometry.fluxType
      ? {
          ...photometryRecord(plan.profile, {
            dustMap: plan.dustMap,
            fluxType: plan.taskPhotometry.fluxType,
            toMagnitudes: plan.taskPhotometry.toMagnitudes,
            ebvScale: plan.taskPhotometry.ebvScale,
          }),
          nondetections,
        }
      : null,
    dustMapRef: plan.taskPhotometry.fluxType ? plan.taskPhotometry.dustMap : null,
  };
}
