/**
 * E(B-V) values a dust map should not give: NaN (a blank pixel, a map of another quantity, a
 * column of NaN) or below 0. A map all NaN or negative was applied without a word: every
 * dereddened magnitude NaN, or made fainter.
 */
import type { Table } from 'apache-arrow';
import { DUST_MAP_METADATA } from './apply-photometry';
import type { DustMapInfo } from './dust-map';

/** How many of the looked-up positions got NaN and how many a negative E(B-V). */
export interface EbvValueCounts {
  positions: number;
  nan: number;
  negative: number;
}

export function emptyEbvCounts(): EbvValueCounts {
  return { positions: 0, nan: 0, negative: 0 };
}

/** Adds `values` to `counts`; `valid(i)` false leaves row i out (a left join's unmatched row). */
export function countEbvValues(
  counts: EbvValueCounts,
  values: ArrayLike<number>,
  valid: (i: number) => boolean = () => true,
): EbvValueCounts {
  for (let i = 0; i < values.length; i++) {
    if (!valid(i)) continue;
    counts.positions++;
    const v = values[i];
    if (v !== v) counts.nan++;
    else if (v < 0) counts.negative++;
  }
  return counts;
}

/**
 * Adds the `ebv` column the photometry step wrote from a map (not a catalog's own) of a
 * crossmatched table, over its matched rows (`distColumn` not null).
 */
export function countEbvColumn(
  counts: EbvValueCounts,
  table: Table,
  distColumn: string,
): EbvValueCounts {
  const field = table.schema.fields.find((f) => f.name === 'ebv');
  const ebv = table.getChild('ebv');
  if (!field?.metadata.has(DUST_MAP_METADATA) || !ebv) return counts;
  const dist = table.getChild(distColumn);
  return countEbvValues(
    counts,
    ebv.toArray() as Float64Array,
    (i) => ebv.isValid(i) && (!dist || dist.isValid(i)),
  );
}

/** The warning for `counts`, or null when every position got an E(B-V) of 0 or more. */
export function ebvValuesWarning(
  info: Pick<DustMapInfo, 'name' | 'files'>,
  counts: EbvValueCounts,
  what = 'matched positions',
): string | null {
  if (counts.nan === 0 && counts.negative === 0) return null;
  const map = `'${info.name}'${info.files.length > 0 ? ` (${info.files.join(', ')})` : ''}`;
  const got: string[] = [];
  if (counts.nan > 0) got.push(`no value (NaN) at ${counts.nan.toLocaleString('en-US')}`);
  if (counts.negative > 0)
    got.push(`a negative E(B-V) at ${counts.negative.toLocaleString('en-US')}`);
  const effects: string[] = [];
  if (counts.nan > 0) effects.push('NaN E(B-V) gives NaN dereddened magnitudes (or fluxes)');
  if (counts.negative > 0)
    effects.push('a negative E(B-V) makes dereddened magnitudes fainter than the observed ones');
  return (
    `the dust map ${map} gave ${got.join(' and ')} of ${counts.positions.toLocaleString('en-US')} ${what}: ` +
    `${effects.join('; ')}. Check that the map holds E(B-V) (the file, its column, its blank ` +
    `pixels), or choose another map.`
  );
}
