import { ZERO_POINT_NJY } from '../../compute/photometry/magnitudes';
import type { CatalogSummary, GenericChoices } from '../../preload/api';
import { messageOf, type SliceCreator } from './types';

/** AB zero point of fluxes in nJy (compute/photometry/magnitudes.ts). */
export const DEFAULT_ZERO_POINT_MAG = ZERO_POINT_NJY;

/** One band row of the generic-columns form, as typed. */
export interface GenericBandForm {
  band: string;
  flux: string;
  fluxErr: string;
  /** R_b = A_b / E(B-V); '' = no dereddening coefficient for this band. */
  rb: string;
}

/** The generic-columns form, as typed ('' = not chosen). */
export interface GenericForm {
  idColumn: string;
  raColumn: string;
  decColumn: string;
  fluxUnit: string;
  zeroPointMag: string;
  bands: GenericBandForm[];
}

const pick = (names: string[], wanted: string[]) =>
  names.find((n) => wanted.includes(n.toLowerCase())) ?? '';

/** The form for `catalog`: its stored choices, else ra/dec/id guessed from column names. */
export function genericFormOf(catalog: CatalogSummary): GenericForm {
  const g = catalog.generic;
  const names = catalog.columns.map((c) => c.name);
  const ext = g?.extinction ?? {};
  return {
    idColumn: g ? (g.idColumn ?? '') : pick(names, ['id', 'objectid', 'object_id']),
    raColumn: g?.raColumn ?? pick(names, ['ra', 'ra_deg', 'coord_ra']),
    decColumn: g?.decColumn ?? pick(names, ['dec', 'dec_deg', 'coord_dec']),
    fluxUnit: g?.fluxUnit ?? 'nJy',
    zeroPointMag: String(g?.zeroPointMag ?? DEFAULT_ZERO_POINT_MAG),
    bands: g?.bands.map((b) => ({
      band: b.band,
      flux: b.flux ?? '',
      fluxErr: b.fluxErr ?? '',
      rb: ext[b.band] === undefined ? '' : String(ext[b.band]),
    })) ?? [{ band: '', flux: '', fluxErr: '', rb: '' }],
  };
}

/**
 * The engine's generic choices (compute/photometry genericChoicesSchema) from the form; throws
 * an Error naming the field when a band has no name or a number does not parse.
 */
export function genericChoicesOf(form: GenericForm): GenericChoices {
  const num = (text: string, field: string) => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new Error(`${field}: '${text}' is not a number.`);
    }
    return value;
  };
  const bands = form.bands.filter((b) => b.band.trim() || b.flux || b.fluxErr || b.rb.trim());
  if (bands.length === 0) throw new Error('Add at least one band with its flux column.');
  const extinction: Record<string, number> = {};
  const out = bands.map((b, k) => {
    const band = b.band.trim();
    if (!band) throw new Error(`Band ${k + 1}: give the band a name (e.g. g).`);
    if (!b.flux) throw new Error(`Band ${band}: choose its flux column.`);
    if (b.rb.trim()) extinction[band] = num(b.rb, `Band ${band} R_b`);
    return { band, flux: b.flux, ...(b.fluxErr ? { fluxErr: b.fluxErr } : {}) };
  });
  return {
    idColumn: form.idColumn || null,
    ...(form.raColumn ? { raColumn: form.raColumn } : {}),
    ...(form.decColumn ? { decColumn: form.decColumn } : {}),
    fluxUnit: form.fluxUnit.trim() || 'nJy',
    zeroPointMag: num(form.zeroPointMag, 'Zero point'),
    bands: out,
    extinction,
  };
}

export interface GenericSlice {
  genericError: string | null;
  genericNotice: string | null;
  genericSaving: boolean;
  /**
   * Sends the form's choices to main (checked against the catalog's columns there), replaces the
   * catalog in the list, and refreshes the wizard's flux type and dust map when the draft uses it.
   */
  saveGenericColumns(catalogId: string, form: GenericForm): Promise<CatalogSummary | null>;
}

export const createGenericSlice: SliceCreator<GenericSlice> = (api) => (set, get) => ({
  genericError: null,
  genericNotice: null,
  genericSaving: false,
  saveGenericColumns: async (catalogId, form) => {
    set({ genericError: null, genericNotice: null });
    let choices: GenericChoices;
    try {
      choices = genericChoicesOf(form);
    } catch (err) {
      set({ genericError: messageOf(err) });
      return null;
    }
    set({ genericSaving: true });
    try {
      const updated = await api.setGenericColumns(catalogId, choices);
      set({
        catalogs: get().catalogs.map((c) => (c.id === catalogId ? updated : c)),
        genericSaving: false,
        genericNotice: `Saved: ${updated.profile?.bands.join(', ')} with flux type ${updated.profile?.fluxTypes.map((f) => f.label).join(', ')}.`,
      });
      if (get().draft?.photometry.location === updated.location) {
        await get().choosePhotometric(updated);
        // Columns were just named to get magnitudes: turn the conversion back on.
        if (updated.profile?.canConvertToMag) {
          await get().setField('photometry.convertToMagnitudes', true);
        }
      }
      return updated;
    } catch (err) {
      set({ genericError: messageOf(err), genericSaving: false });
      return null;
    }
  },
});
