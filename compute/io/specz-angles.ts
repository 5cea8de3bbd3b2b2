import { Type, type Vector } from 'apache-arrow';
import { UserError } from '../errors';
import { parseFloatText } from './text-types';

/** How ra/dec are written in the user's file. */
export type AngleUnits = 'deg' | 'rad' | 'sexagesimal';

const SEXA =
  /^([+-]?)\s*(\d{1,3})(?:[:hd°\s]\s*)(\d{1,2})(?:[:m'\s]\s*)(\d{1,2}(?:\.\d*)?)\s*(?:s|")?$/i;

/**
 * Sexagesimal text to degrees: `HH:MM:SS.s`, `HHhMMmSS.Ss` or `HH MM SS` for ra (hours, x15),
 * `±DD:MM:SS`, `DDdMM'SS"` for dec. NaN when the text is not sexagesimal.
 */
export function parseSexagesimal(text: string, hours: boolean): number {
  const m = SEXA.exec(text.trim());
  if (!m) return NaN;
  const [, sign, a, b, c] = m;
  const mins = Number(b);
  const secs = Number(c);
  if (mins >= 60 || secs >= 60) return NaN;
  const value = Number(a) + mins / 60 + secs / 3600;
  return (sign === '-' ? -value : value) * (hours ? 15 : 1);
}

const isTextVector = (v: Vector): boolean =>
  v.type.typeId === Type.Utf8 || v.type.typeId === Type.LargeUtf8;

function rawValues(vec: Vector): (string | number | null)[] {
  const out: (string | number | null)[] = new Array(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const v = vec.get(i);
    out[i] = v === null || v === undefined ? null : typeof v === 'string' ? v : Number(v);
  }
  return out;
}

/** Unit hint from a column name or a declared unit (FITS TUNIT), if any. */
function hintOf(name: string, unit: string | undefined): AngleUnits | undefined {
  const u = (unit ?? '').toLowerCase().trim();
  if (['deg', 'degree', 'degrees', 'd'].includes(u)) return 'deg';
  if (['rad', 'radian', 'radians'].includes(u)) return 'rad';
  if (/^(h:m:s|hms|hourangle|d:m:s|dms)$/.test(u)) return 'sexagesimal';
  const n = name.toLowerCase();
  if (/(^|_)rad(ians?)?$/.test(n)) return 'rad';
  if (/(^|_)deg(rees?)?$/.test(n)) return 'deg';
  return undefined;
}

/**
 * Decides the units of ra/dec from the first batch: a declared unit or a name suffix (`_deg`,
 * `_rad`) wins; text that reads as sexagesimal is sexagesimal; numbers beyond 2π (ra) or π/2
 * (|dec|) are degrees. When every value fits radian ranges the file is refused: degrees and
 * radians cannot be told apart, so the user must say.
 */
export function detectAngleUnits(
  file: string,
  ra: { name: string; vec: Vector; unit?: string },
  dec: { name: string; vec: Vector; unit?: string },
  /** The units of values that fit both (default: refuse the file). */
  whenAmbiguous?: AngleUnits,
): AngleUnits {
  const hint = hintOf(ra.name, ra.unit) ?? hintOf(dec.name, dec.unit);
  if (hint) return hint;
  const raVals = rawValues(ra.vec);
  const decVals = rawValues(dec.vec);
  if (isTextVector(ra.vec)) {
    const texts = raVals.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const sexa = texts.filter(
      (t) => SEXA.test(t.trim()) && !/^[+-]?\d+(\.\d*)?$/.test(t.trim()),
    ).length;
    if (texts.length > 0 && sexa > texts.length / 2) return 'sexagesimal';
  }
  const num = (v: string | number | null): number =>
    typeof v === 'number' ? v : parseFloatText(v);
  let raMax = 0;
  let decMax = 0;
  let finite = 0;
  raVals.forEach((v, i) => {
    const r = num(v);
    const d = num(decVals[i]);
    if (!Number.isFinite(r) || !Number.isFinite(d)) return;
    finite++;
    raMax = Math.max(raMax, Math.abs(r));
    decMax = Math.max(decMax, Math.abs(d));
  });
  if (finite === 0) {
    // '3,5429': a spreadsheet saved with a decimal comma (and ';' between the fields)
    const comma = raVals.find((v) => typeof v === 'string' && /^\s*[+-]?\d+,\d+\s*$/.test(v));
    throw new UserError(
      comma === undefined
        ? `${file}: columns ${ra.name}/${dec.name} hold no numeric or sexagesimal positions; check the ra/dec mapping`
        : `${file}: columns ${ra.name}/${dec.name} hold no numeric or sexagesimal positions: values such as '${String(comma).trim()}' have a decimal comma; save the file with decimal points (from a spreadsheet in a locale that writes 3.5, not 3,5) and try again`,
    );
  }
  if (raMax > 2 * Math.PI + 1e-9 || decMax > Math.PI / 2 + 1e-9) return 'deg';
  if (whenAmbiguous) return whenAmbiguous;
  throw new UserError(
    `${file}: every ${ra.name}/${dec.name} value fits radian ranges (ra <= 2π, |dec| <= π/2), so degrees and radians cannot be told apart; say which (the app's RA/Dec units, or --angle-units deg or --angle-units rad)`,
  );
}

/**
 * ra/dec of a batch in degrees (NaN where a value is missing or unreadable), from numbers in
 * degrees or radians, or sexagesimal text (ra in hours).
 */
export function toDegrees(vec: Vector, units: AngleUnits, isRa: boolean): Float64Array {
  const out = new Float64Array(vec.length);
  const text = isTextVector(vec);
  const values = !text ? (vec.toArray() as ArrayLike<number | bigint>) : undefined;
  const scale = units === 'rad' ? 180 / Math.PI : 1;
  for (let i = 0; i < out.length; i++) {
    if (!vec.isValid(i)) {
      out[i] = NaN;
      continue;
    }
    if (text) {
      const t = vec.get(i) as string;
      out[i] = units === 'sexagesimal' ? parseSexagesimal(t, isRa) : parseFloatText(t) * scale;
    } else out[i] = Number(values![i]) * scale;
  }
  return out;
}
