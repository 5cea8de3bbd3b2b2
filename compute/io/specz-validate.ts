import { Table, Type, makeVector, type Vector } from 'apache-arrow';
import { gatherVector } from './arrow-columns';
import type { SourceBatch } from './delimited-reader';
import { IdSet } from './id-set';
import { repeatedRows } from './repeated-rows';
import { detectAngleUnits, toDegrees, type AngleUnits } from './specz-angles';
import { CANONICAL_NAMES, SPECZ_ROLES, type SpeczMapping, type SpeczRole } from './specz-columns';
import {
  TextAfterNumbers,
  checkTextAfterNumbers,
  textAfterNumbersNote,
  textAtLine,
  type SpeczSource,
} from './specz-source';
import {
  convertText,
  inferTextType,
  isNumberText,
  parseFloatText,
  type TextType,
} from './text-types';

/** How many offending line numbers the report keeps per reason. */
export const FIRST_LINES = 10;

export interface RejectReason {
  reason: string;
  count: number;
  /** The first offending line (text) or row (binary) numbers, 1-based. */
  first: number[];
}

/** What registration found in the user's file. */
export interface SpeczValidationReport {
  file: string;
  format: string;
  /** 'line' (text files) or 'row'. */
  rowLabel: 'line' | 'row';
  mapping: SpeczMapping;
  angleUnits?: AngleUnits;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  reasons: RejectReason[];
  /** Text files: the last line, when it has too few fields (the file looks cut off there). */
  truncatedLine?: number;
  /** How the file was read, when the user should know (its source's notes). */
  notes?: string[];
}

const isText = (v: Vector): boolean =>
  v.type.typeId === Type.Utf8 || v.type.typeId === Type.LargeUtf8;

/**
 * Checks and normalises a spec-z catalog batch by batch (bounded memory; only the ids are
 * remembered, for duplicates): ra/dec to float64 degrees in [0, 360) x [-90, 90], z a number
 * >= 0, ids present and unique (later copies rejected), mapped columns renamed to the canonical
 * names (ra, dec, z, id, z_err, z_flag, survey, instrument_type), other columns kept (text typed
 * from the first batch). Rejected rows are counted per reason with their first line numbers.
 */
export class SpeczValidator {
  private readonly reasons = new Map<string, RejectReason>();
  private seenIds = new IdSet();
  /** Without an id column: every accepted row's ra, dec, z (and line), to find exact copies. */
  private readonly rows = {
    ra: new Float64Array(1024),
    dec: new Float64Array(1024),
    z: new Float64Array(1024),
    lines: new Int32Array(1024),
    n: 0,
  };
  private units: AngleUnits | undefined;
  private textTypes: Record<string, TextType> | undefined;
  private rowsRead = 0;
  private rowsAccepted = 0;
  private truncatedLine: number | undefined;
  /** The note on repeated rows, kept by finish() as the rows behind it are let go. */
  private copies: string | null | undefined;

  /** Columns read as text when a later line has text after numbers (not ra, dec, z, z_err). */
  readonly textable: string[];
  /** What the report says of a column of integers that turned text (SourceBatch.textFrom). */
  private readonly textNotes: string[] = [];

  constructor(
    private readonly source: SpeczSource,
    private readonly mapping: SpeczMapping,
    angleUnits?: AngleUnits,
  ) {
    this.units = angleUnits;
    const numeric = [mapping.ra, mapping.dec, mapping.z, mapping.zErr];
    this.textable = source.columns.filter((c) => !numeric.includes(c));
  }

  /**
   * A role as the report names it: `ra`, or `ra (column id)` when another column was mapped to
   * it. A wrong mapping (RA set to the id column) was told "ra outside [0, 360)", which reads as
   * a fault of the file's ra column.
   */
  private role(role: 'ra' | 'dec' | 'z' | 'zErr'): string {
    const name = role === 'zErr' ? 'z_err' : role;
    const column = this.mapping[role];
    return column && column !== name ? `${name} (column ${column})` : name;
  }

  private reject(reason: string, line: number): void {
    let r = this.reasons.get(reason);
    if (!r) this.reasons.set(reason, (r = { reason, count: 0, first: [] }));
    r.count++;
    if (r.first.length < FIRST_LINES) r.first.push(line);
  }

  /** The accepted rows of a batch, normalised; rejections go to the report. */
  process(batch: SourceBatch): Table {
    // text after numbers in a column but ra, dec, z and z_err: the caller reads the file again
    // with that column as text
    checkTextAfterNumbers(batch, this.textable, this.mapping.id);
    for (const [column, line] of Object.entries(batch.textFrom ?? {})) {
      const e = new TextAfterNumbers(column, line, column === this.mapping.id);
      this.textNotes.push(
        textAfterNumbersNote(this.source.path, e, textAtLine(batch, column, line)),
      );
    }
    for (const r of batch.rejected) {
      this.rowsRead++;
      if (r.truncated) {
        this.truncatedLine = r.line;
        this.reject(
          `last line cut short (${r.reason}): the file looks truncated; re-export it`,
          r.line,
        );
      } else this.reject(`wrong number of fields (expected ${this.source.columns.length})`, r.line);
    }
    const { table, lines } = batch;
    const n = table.numRows;
    // only rejected lines (a file whose every line is cut): no positions to read units from
    if (n === 0) return table;
    this.rowsRead += n;
    const col = (role: SpeczRole): Vector | undefined => {
      const name = this.mapping[role];
      return name ? (table.getChild(name) ?? undefined) : undefined;
    };
    const raVec = col('ra')!;
    const decVec = col('dec')!;
    this.units ??= detectAngleUnits(
      this.source.path,
      { name: this.mapping.ra!, vec: raVec, unit: this.source.units[this.mapping.ra!] },
      { name: this.mapping.dec!, vec: decVec, unit: this.source.units[this.mapping.dec!] },
    );
    if (this.source.textColumns && !this.textTypes) {
      this.textTypes = {};
      for (const f of table.schema.fields) {
        this.textTypes[f.name] = inferTextType(
          table.getChild(f.name)!.toArray() as (string | null)[],
        );
      }
    }
    const ra = toDegrees(raVec, this.units, true);
    const dec = toDegrees(decVec, this.units, false);
    const zVec = col('z')!;
    const z = isText(zVec) ? null : (zVec.toArray() as ArrayLike<number | bigint>);
    const zValues = new Float64Array(n);
    const idVec = col('id');
    const idType = idVec && isText(idVec) ? this.textTypes?.[this.mapping.id!] : undefined;
    const zUnparsed = batch.unparsed?.[this.mapping.z!];
    // z_err is optional, but a text in it is not an uncertainty: its row is rejected as z's is
    // (it was kept, its z_err made NaN without a word)
    const zErrVec = col('zErr');
    const zErrText = zErrVec && isText(zErrVec) ? zErrVec : null;
    const zErrUnparsed = this.mapping.zErr ? batch.unparsed?.[this.mapping.zErr] : undefined;
    const keep: number[] = [];
    for (let i = 0; i < n; i++) {
      const line = lines[i];
      if (!Number.isFinite(ra[i]) || !Number.isFinite(dec[i])) {
        this.reject('ra or dec missing or not a number', line);
        continue;
      }
      if (ra[i] < 0 || ra[i] >= 360) {
        this.reject(`${this.role('ra')} outside [0, 360)`, line);
        continue;
      }
      if (dec[i] < -90 || dec[i] > 90) {
        this.reject(`${this.role('dec')} outside [-90, 90]`, line);
        continue;
      }
      let zi: number;
      if (z) zi = zVec.isValid(i) ? Number(z[i]) : NaN;
      else {
        const t = ((zVec.get(i) as string | null) ?? '').trim();
        if (t !== '' && !isNumberText(t)) {
          this.reject(`${this.role('z')} not numeric`, line);
          continue;
        }
        zi = parseFloatText(t);
      }
      if (Number.isNaN(zi)) {
        this.reject(`${this.role('z')} ${zUnparsed?.[i] ? 'not numeric' : 'missing'}`, line);
        continue;
      }
      if (!Number.isFinite(zi)) {
        this.reject(`${this.role('z')} not numeric`, line);
        continue;
      }
      if (zi < 0) {
        this.reject(`${this.role('z')} negative`, line);
        continue;
      }
      if (zErrText) {
        const t = ((zErrText.get(i) as string | null) ?? '').trim();
        if (t !== '' && !isNumberText(t)) {
          this.reject(`${this.role('zErr')} not numeric`, line);
          continue;
        }
      } else if (zErrUnparsed?.[i]) {
        this.reject(`${this.role('zErr')} not numeric`, line);
        continue;
      }
      zValues[i] = zi;
      if (idVec) {
        const v = idVec.get(i);
        const key = v === null || v === undefined ? '' : String(v).trim();
        if (key === '') {
          this.reject('id missing', line);
          continue;
        }
        if (idType === 'int64' && !/^[+-]?\d+$/.test(key)) {
          this.reject('id not an integer (earlier ids are integers)', line);
          continue;
        }
        if (!this.seenIds.add(key)) {
          this.reject('duplicate id', line);
          continue;
        }
      } else this.remember(ra[i], dec[i], zi, line);
      keep.push(i);
    }
    this.rowsAccepted += keep.length;
    return this.normalise(table, keep, ra, dec, zValues);
  }

  private normalise(
    table: Table,
    keep: number[],
    ra: Float64Array,
    dec: Float64Array,
    z: Float64Array,
  ): Table {
    const columns: Record<string, Vector> = {};
    const pick = (values: Float64Array) => makeVector(Float64Array.from(keep, (i) => values[i]));
    const mappedNames = new Set(Object.values(this.mapping).filter((v): v is string => Boolean(v)));
    const canonical = new Set(Object.values(CANONICAL_NAMES));
    for (const role of SPECZ_ROLES) {
      const name = this.mapping[role];
      if (!name) continue;
      const out = CANONICAL_NAMES[role];
      if (role === 'ra') columns[out] = pick(ra);
      else if (role === 'dec') columns[out] = pick(dec);
      else if (role === 'z') columns[out] = pick(z);
      else
        columns[out] = this.typed(
          table.getChild(name)!,
          keep,
          role === 'zErr'
            ? 'float64'
            : role === 'id'
              ? undefined
              : role === 'zFlag'
                ? undefined
                : 'string',
          name,
        );
    }
    for (const f of table.schema.fields) {
      if (mappedNames.has(f.name)) continue;
      const out = canonical.has(f.name) ? `${f.name}_original` : f.name;
      columns[out] = this.typed(table.getChild(f.name)!, keep, undefined, f.name);
    }
    return new Table(columns);
  }

  /** Rows `keep` of a column, typed: text columns converted (forced type or the inferred one). */
  private typed(vec: Vector, keep: number[], force: TextType | undefined, name: string): Vector {
    const picked = gatherVector(vec, keep);
    if (!isText(vec)) {
      if (force === 'float64' && picked.type.typeId === Type.Int) {
        return makeVector(Float64Array.from(picked.toArray() as ArrayLike<number>, Number));
      }
      return picked;
    }
    const type = force ?? this.textTypes?.[name] ?? 'string';
    return convertText(picked, type);
  }

  private remember(ra: number, dec: number, z: number, line: number): void {
    const r = this.rows;
    if (r.n === r.lines.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const bigger = new (a.constructor as new (n: number) => T)(2 * a.length);
        bigger.set(a);
        return bigger;
      };
      r.ra = grow(r.ra);
      r.dec = grow(r.dec);
      r.z = grow(r.z);
      r.lines = grow(r.lines);
    }
    r.ra[r.n] = ra;
    r.dec[r.n] = dec;
    r.z[r.n] = z;
    r.lines[r.n++] = line;
  }

  /**
   * Rows that repeat an earlier row's ra, dec and z when no id column tells them apart: kept (the
   * file may mean them), but said, as they count as several spec-z in every figure.
   */
  private copiesNote(): string | null {
    const { ra, dec, z, lines, n } = this.rows;
    const copies = repeatedRows(ra, dec, z, n).map((i) => lines[i]);
    if (copies.length === 0) return null;
    const label = this.source.rowLabel === 'line' ? 'lines' : 'rows';
    const first = copies.slice(0, FIRST_LINES).join(', ');
    return `${this.source.path}: ${copies.length} ${copies.length === 1 ? 'row repeats' : 'rows repeat'} the ra, dec and z of an earlier row (${label} ${first}${copies.length > FIRST_LINES ? ', ...' : ''}); without an id column they cannot be told apart and each counts as a spec-z: map an id column, or remove the copies from the file`;
  }

  /**
   * The file is read to its end: the ids and positions kept to find repeats are let go (a million
   * ids are tens of MB, which writing the catalog then has for itself); the report stays.
   */
  finish(): SpeczValidationReport {
    this.copies ??= this.copiesNote();
    this.seenIds = new IdSet();
    this.rows.ra = new Float64Array(1024);
    this.rows.dec = new Float64Array(1024);
    this.rows.z = new Float64Array(1024);
    this.rows.lines = new Int32Array(1024);
    this.rows.n = 0;
    return this.report();
  }

  report(): SpeczValidationReport {
    const reasons = [...this.reasons.values()].sort((a, b) => b.count - a.count);
    const copies = this.copies === undefined ? this.copiesNote() : this.copies;
    const notes = [...(this.source.notes ?? []), ...this.textNotes, ...(copies ? [copies] : [])];
    return {
      file: this.source.path,
      format: this.source.format,
      rowLabel: this.source.rowLabel,
      mapping: this.mapping,
      angleUnits: this.units,
      rowsRead: this.rowsRead,
      rowsAccepted: this.rowsAccepted,
      rowsRejected: this.rowsRead - this.rowsAccepted,
      reasons,
      ...(this.truncatedLine !== undefined ? { truncatedLine: this.truncatedLine } : {}),
      ...(notes.length ? { notes } : {}),
    };
  }
}

/** The report as text lines for the CLI. */
export function formatReport(r: SpeczValidationReport): string[] {
  const mapped = Object.entries(r.mapping)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const lines = [
    `file:      ${r.file} (${r.format})`,
    `columns:   ${mapped}${r.angleUnits ? `; ra/dec in ${r.angleUnits === 'deg' ? 'degrees' : r.angleUnits === 'rad' ? 'radians' : 'sexagesimal (ra in hours)'}` : ''}`,
    `rows read: ${r.rowsRead}`,
    `accepted:  ${r.rowsAccepted}`,
    `rejected:  ${r.rowsRejected}`,
    ...(r.notes ?? []).map((n) => `note:      ${n}`),
  ];
  for (const reason of r.reasons) {
    const more = reason.count > reason.first.length ? ', ...' : '';
    const label = reason.first.length > 1 ? `${r.rowLabel}s` : r.rowLabel;
    lines.push(`  ${reason.reason}: ${reason.count} (${label} ${reason.first.join(', ')}${more})`);
  }
  return lines;
}
