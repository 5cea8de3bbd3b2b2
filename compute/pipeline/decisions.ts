/**
 * The decision pass of a run: unique galaxies, one-to-one and the train/test split need all rows
 * of a group, and a group can span tasks (a photometric object near a pixel edge is matched from
 * both sides). So while the crossmatched rows stream to disk, only a few small key columns are
 * kept here (ids, z, flag, instrument type, distance); the decisions are made once at the end
 * and the rows are streamed again with them (run.ts).
 */
import type { Table } from 'apache-arrow';
import { homogenizeFlags, type HomogenizedFlags, type RowId } from '../trainingset/flags';
import { assignSplit, speczKeyOf, type SplitOptions, type SplitReport } from '../trainingset/split';
import {
  enforceOneToOne,
  resolveUniqueGalaxies,
  TIE,
  type UniqueGalaxyReport,
} from '../trainingset/unique-galaxies';

/** Output column names the decision pass reads (null = not available). */
export interface KeyColumnNames {
  speczId: string | null;
  speczRa: string;
  speczDec: string;
  z: string;
  zFlag: string | null;
  instrumentType: string | null;
  /** Photometric object id; null = use the photometric ra/dec. */
  photometricId: string | null;
  photometricRa: string;
  photometricDec: string;
  dist: string;
}

export interface DecisionOptions {
  uniqueGalaxies: boolean;
  oneToOne: boolean;
  split: SplitOptions;
}

export interface Decisions {
  /** Per row: tie_result (0 = dropped from the output). */
  status: Uint8Array;
  /** Per row: 1 train, 0 test (0 also for dropped rows). */
  isTrainingSet: Uint8Array;
  uniqueGalaxies: UniqueGalaxyReport | null;
  oneToOneDropped: number | null;
  flags: Omit<HomogenizedFlags, 'flags'> | null;
  split: SplitReport;
  rowsOut: number;
  unmatched: number;
}

function values(table: Table, name: string | null): ArrayLike<unknown> | null {
  if (name === null) return null;
  const v = table.getChild(name);
  if (!v) throw new Error(`decision pass: column '${name}' is missing from the crossmatch output`);
  const raw = v.toArray() as ArrayLike<unknown>;
  if (v.nullCount === 0) return raw;
  // toArray() of a numeric column gives its value buffer, where nulls read as 0: mask them.
  return Array.from({ length: v.length }, (_, i) => (v.isValid(i) ? raw[i] : null));
}

function numberOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n =
    typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v.trim() || NaN) : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Accumulates the key columns of every crossmatched row, table by table, in output order. */
export class DecisionKeys {
  readonly speczKey: string[] = [];
  readonly speczId: (RowId | null)[] = [];
  readonly photometricId: (string | number | bigint | null)[] = [];
  readonly z: number[] = [];
  readonly zFlag: (number | null)[] = [];
  readonly instrumentType: (string | null)[] = [];
  readonly dist: number[] = [];

  constructor(private readonly names: KeyColumnNames) {}

  get rows(): number {
    return this.z.length;
  }

  add(table: Table): void {
    const n = table.numRows;
    if (n === 0) return;
    const c = this.names;
    const id = values(table, c.speczId);
    const ra = values(table, c.speczRa)!;
    const dec = values(table, c.speczDec)!;
    const z = values(table, c.z)!;
    const flag = values(table, c.zFlag);
    const type = values(table, c.instrumentType);
    const pid = values(table, c.photometricId);
    const pra = values(table, c.photometricRa)!;
    const pdec = values(table, c.photometricDec)!;
    const dist = values(table, c.dist)!;
    for (let i = 0; i < n; i++) {
      const matched = dist[i] !== null;
      const idValue = id ? (id[i] as RowId | null) : null;
      this.speczId.push(idValue ?? null);
      this.speczKey.push(speczKeyOf(idValue, Number(ra[i]), Number(dec[i])));
      this.z.push(numberOrNull(z[i]) ?? NaN);
      this.zFlag.push(flag ? numberOrNull(flag[i]) : null);
      this.instrumentType.push(type && type[i] != null ? String(type[i]) : null);
      this.dist.push(matched ? Number(dist[i]) : NaN);
      if (!matched) this.photometricId.push(null);
      else if (pid && pid[i] !== null && pid[i] !== undefined)
        this.photometricId.push(pid[i] as string | number | bigint);
      else this.photometricId.push(`radec:${Number(pra[i])}:${Number(pdec[i])}`);
    }
  }

  /** Runs unique galaxies (optional), one-to-one (optional) and the split over all rows. */
  decide(options: DecisionOptions): Decisions {
    const n = this.rows;
    let status: Uint8Array = new Uint8Array(n).fill(TIE.kept);
    let uniqueReport: UniqueGalaxyReport | null = null;
    let flagsInfo: Decisions['flags'] = null;
    const flags = this.zFlag.some((f) => f !== null) ? homogenizeFlags(this.zFlag) : null;
    if (flags) flagsInfo = { source: flags.source, invalid: flags.invalid };
    if (options.uniqueGalaxies) {
      const r = resolveUniqueGalaxies({
        photometricId: this.photometricId,
        speczId: this.speczId,
        z: this.z,
        zFlag: flags?.flags,
        instrumentType: this.instrumentType,
      });
      status = r.status;
      uniqueReport = r.report;
    }
    const oneToOneDropped = options.oneToOne
      ? enforceOneToOne(this.photometricId, this.dist, status, this.speczId)
      : null;
    const kept: number[] = [];
    for (let i = 0; i < n; i++) if (status[i] !== TIE.dropped) kept.push(i);
    const all = kept.length === n; // no copies of the key columns when no row was dropped
    const split = assignSplit(
      {
        speczKey: all ? this.speczKey : kept.map((i) => this.speczKey[i]),
        photometricId: all ? this.photometricId : kept.map((i) => this.photometricId[i]),
        z: all ? this.z : kept.map((i) => this.z[i]),
      },
      options.split,
    );
    const isTrainingSet = all ? split.isTrainingSet : new Uint8Array(n);
    if (!all) kept.forEach((row, k) => (isTrainingSet[row] = split.isTrainingSet[k]));
    let unmatched = 0;
    for (let i = 0; i < n; i++) if (this.photometricId[i] === null) unmatched++;
    return {
      status,
      isTrainingSet,
      uniqueGalaxies: uniqueReport,
      oneToOneDropped,
      flags: flagsInfo,
      split: split.report,
      rowsOut: kept.length,
      unmatched,
    };
  }
}
