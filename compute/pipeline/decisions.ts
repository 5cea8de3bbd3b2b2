/**
 * The decision pass of a run: unique galaxies, one-to-one and the train/test split need all rows
 * of a group, and a group can span tasks (a photometric object near a pixel edge is matched from
 * both sides). So while the crossmatched rows stream to disk, only a few small key columns are
 * kept here (ids, z, flag, instrument type, distance); the decisions are made once at the end
 * and the rows are streamed again with them (run.ts).
 */
import type { Table } from 'apache-arrow';
import {
  homogenizeFlags,
  instrumentTypeScore,
  type HomogenizedFlags,
  type RowId,
} from '../trainingset/flags';
import { hashInt64Words, hashKey, LinkScratch, sameKey } from '../trainingset/components';
import { compareIntegerText } from '../trainingset/decimal-order';
import { fnvAdd, fnvAddInteger, fnvBegin, fnvEnd, uniformOfHash } from '../trainingset/hash';
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
  /**
   * With unique galaxies: rows whose instrument type is given but is not s, g or p (CRC scores
   * them as unknown, below p), and up to three of those values.
   */
  unknownInstrumentTypes: { rows: number; values: string[] } | null;
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

/**
 * An int64 column without nulls (values() gives its BigInt64Array) as 32-bit words, low word
 * first: read so, a million ids make no BigInt each (garbage the main thread's young generation
 * grew to 32 MB for, bench 10M x 1M).
 */
function int64Words(column: ArrayLike<unknown> | null): Int32Array | null {
  return column instanceof BigInt64Array
    ? new Int32Array(column.buffer, column.byteOffset, 2 * column.length)
    : null;
}

function numberOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n =
    typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v.trim() || NaN) : Number(v);
  return Number.isFinite(n) ? n : null;
}

type KeyValue = string | number | bigint;

/**
 * A growable column of key values kept compact: 64-bit integer ids in a BigInt64Array, numbers
 * in a Float64Array, anything else (strings) in an array; a BigInt is made again when one is
 * asked for. At 950k rows the ids as JS values (BigInts, strings) held ~350 MB of the main
 * thread's heap through the crossmatch and cost it 1.5 s of garbage collection (bench, 10M x 1M).
 */
export class KeyColumn {
  private kind: 'empty' | 'bigint' | 'number' | 'any' = 'empty';
  private big = new BigInt64Array(0);
  /** `big` as 32-bit words (little-endian: low word first). */
  private words = new Int32Array(0);
  private num = new Float64Array(0);
  private any: (KeyValue | null)[] = [];
  private valid: Uint8Array;
  length = 0;

  /** `capacity`: rows to make room for at once (more grow the storage by doubling). */
  constructor(capacity = 0) {
    this.valid = new Uint8Array(capacity);
  }

  push(value: KeyValue | null | undefined): void {
    const v = value ?? null;
    if (v !== null && this.kind !== 'any') {
      const fits = typeof v === 'bigint' ? BigInt.asIntN(64, v) === v : typeof v === 'number';
      const kind = typeof v === 'bigint' ? 'bigint' : 'number';
      if (this.kind === 'empty' && fits) {
        this.kind = kind;
        this.resize(this.valid.length); // the storage of that kind, for the rows so far
      } else if (this.kind !== kind || !fits) this.toAny();
    }
    const i = this.length++;
    if (this.kind === 'any') {
      this.any.push(v);
      return;
    }
    if (i >= this.valid.length) this.grow();
    this.valid[i] = v === null ? 0 : 1;
    if (v === null) return;
    if (this.kind === 'bigint') this.big[i] = v as bigint;
    else this.num[i] = v as number;
  }

  /** push() of the int64 whose two's-complement words are `lo`, `hi`, without making a BigInt. */
  pushInt64(lo: number, hi: number): void {
    if (this.kind === 'empty') {
      this.kind = 'bigint';
      this.resize(this.valid.length);
    }
    if (this.kind !== 'bigint') {
      this.push((BigInt(hi | 0) << 32n) | BigInt(lo >>> 0));
      return;
    }
    const i = this.length++;
    if (i >= this.valid.length) this.grow();
    this.valid[i] = 1;
    this.words[2 * i] = lo;
    this.words[2 * i + 1] = hi;
  }

  at(i: number): KeyValue | null {
    if (this.kind === 'any') return this.any[i];
    if (i >= this.length || this.valid[i] === 0) return null;
    return this.kind === 'bigint' ? this.big[i] : this.num[i];
  }

  /** The int64 id of row `i` as a number when it is within 2^53 (and valid), else null. */
  private smallId(i: number): number | null {
    if (this.kind !== 'bigint' || i >= this.length || this.valid[i] !== 1) return null;
    const hi = this.words[2 * i + 1]; // signed high word, then the unsigned low one
    return hi >= -0x200000 && hi < 0x200000 ? hi * 4294967296 + (this.words[2 * i] >>> 0) : null;
  }

  /** `String(at(i))` (null for null), without making a BigInt for ids within 2^53. */
  text(i: number): string | null {
    const id = this.smallId(i);
    if (id !== null) return String(id);
    const v = this.at(i);
    return v === null ? null : String(v);
  }

  /** fnvAdd(text(i)) (not blank), without making the text for integer ids within 2^53. */
  hashText(i: number): void {
    const id = this.kind === 'number' ? this.num[i] : this.smallId(i);
    if (id !== null && Number.isSafeInteger(id)) fnvAddInteger(id);
    else fnvAdd(this.text(i)!);
  }

  /** Whether `text(i)` is null or empty, without making it where the storage tells. */
  isBlank(i: number): boolean {
    // typed storage never holds an empty text; a column of only nulls is still 'empty'
    if (this.kind !== 'any') return i >= this.length || this.valid[i] === 0;
    const text = this.text(i);
    return text === null || text === '';
  }

  /**
   * The sign of the comparison of `text(a)` and `text(b)` (both not blank), without making the
   * strings for integer ids within 2^53; null when the caller must compare the strings.
   */
  compareText(a: number, b: number): number | null {
    if (this.kind === 'number') return compareIntegerText(this.num[a], this.num[b]);
    const x = this.smallId(a);
    const y = this.smallId(b);
    return x === null || y === null ? null : compareIntegerText(x, y);
  }

  /**
   * Whether `text(a) === text(b)` (null equals only null), without making the strings where the
   * storage allows: equal words for ids, equal numbers for numbers (String keeps every double
   * apart, NaN reads "NaN" and -0 reads "0").
   */
  sameText(a: number, b: number): boolean {
    if (this.kind === 'bigint' || this.kind === 'number') {
      const va = a < this.length && this.valid[a] === 1;
      const vb = b < this.length && this.valid[b] === 1;
      if (!va || !vb) return va === vb;
      if (this.kind === 'number') return sameNumberText(this.num[a], this.num[b]);
      const w = this.words;
      return w[2 * a] === w[2 * b] && w[2 * a + 1] === w[2 * b + 1];
    }
    return this.text(a) === this.text(b);
  }

  /**
   * Whether rows `a` and `b` hold equal values as Map keys (at(a) and at(b) SameValueZero), when
   * both hold one in typed storage; null when the caller must compare at(a) and at(b).
   */
  sameStoredValue(a: number, b: number): boolean | null {
    if (this.kind !== 'bigint' && this.kind !== 'number') return null;
    if (a >= this.length || b >= this.length || this.valid[a] !== 1 || this.valid[b] !== 1) {
      return null;
    }
    if (this.kind === 'number') return sameNumberText(this.num[a], this.num[b]);
    const w = this.words;
    return w[2 * a] === w[2 * b] && w[2 * a + 1] === w[2 * b + 1];
  }

  private grow(): void {
    this.resize(Math.max(1024, this.valid.length * 2));
  }

  private resize(size: number): void {
    if (this.valid.length !== size) {
      const valid = new Uint8Array(size);
      valid.set(this.valid);
      this.valid = valid;
    }
    if (this.kind === 'bigint' && this.big.length !== size) {
      const big = new BigInt64Array(size);
      big.set(this.big);
      this.big = big;
      this.words = new Int32Array(big.buffer);
    } else if (this.kind === 'number' && this.num.length !== size) {
      const num = new Float64Array(size);
      num.set(this.num);
      this.num = num;
    }
  }

  private toAny(): void {
    const n = this.length;
    this.any = Array.from({ length: n }, (_, i) => this.at(i));
    this.kind = 'any';
    this.big = new BigInt64Array(0);
    this.words = new Int32Array(0);
    this.num = new Float64Array(0);
    this.valid = new Uint8Array(0);
  }
}

const COLON = 0x3a;

/**
 * The sign of comparing `x + end` with `y + end` as strings, where `end` is the code unit that
 * follows both (-1: nothing follows).
 */
function compareTexts(x: string, y: string, end: number): number {
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) {
    const d = x.charCodeAt(k) - y.charCodeAt(k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.length === y.length) return 0;
  const d = x.length < y.length ? end - y.charCodeAt(n) : x.charCodeAt(n) - end;
  return d < 0 ? -1 : 1;
}

/** Whether String(x) === String(y) for two numbers. */
function sameNumberText(x: number, y: number): boolean {
  return x === y || (x !== x && y !== y);
}

/**
 * ra and dec of the rows whose key falls back to their position (no id), in columns made when
 * the first such row comes (the rows before it read NaN and are never asked for): with ids for
 * every row, a million rows keep 32 MB fewer.
 */
class FallbackPositions {
  private ra: NumberColumn | null = null;
  private dec: NumberColumn | null = null;
  private length = 0;

  constructor(private readonly capacity = 0) {}

  push(needed: boolean, ra: number, dec: number): void {
    if (needed && this.ra === null) {
      this.ra = new NumberColumn(this.capacity);
      this.dec = new NumberColumn(this.capacity);
      for (let i = 0; i < this.length; i++) {
        this.ra.push(NaN);
        this.dec.push(NaN);
      }
    }
    this.ra?.push(ra);
    this.dec?.push(dec);
    this.length++;
  }

  raAt(i: number): number {
    return this.ra ? this.ra.at(i) : NaN;
  }

  decAt(i: number): number {
    return this.dec ? this.dec.at(i) : NaN;
  }
}

/** A growable Uint32Array (key hashes, codes). */
class Uint32Column {
  private values: Uint32Array;
  length = 0;

  constructor(capacity = 0) {
    this.values = new Uint32Array(Math.max(1024, capacity));
  }

  push(hash: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = hash;
  }

  at(i: number): number {
    return this.values[i];
  }
}

/** A growable Float64Array. */
class NumberColumn {
  private values: Float64Array;
  length = 0;

  constructor(capacity = 0) {
    this.values = new Float64Array(Math.max(1024, capacity));
  }

  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }

  /** The values so far (a view; valid until the next push). */
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }

  at(i: number): number {
    return this.values[i];
  }
}

/** What the decision pass will be asked (decide): columns it will not need are not kept. */
export interface DecisionNeeds {
  uniqueGalaxies: boolean;
  oneToOne: boolean;
  splitMethod: SplitOptions['method'];
}

/** Rows made room for at once at most (a catalog's row count is outside input). */
const MAX_EXPECTED_ROWS = 1 << 24;

const EVERY_DECISION: DecisionNeeds = {
  uniqueGalaxies: true,
  oneToOne: true,
  splitMethod: 'stratified',
};

/**
 * Accumulates the key columns of every crossmatched row, table by table, in output order, in
 * typed storage (KeyColumn); the spec-z key of a row (split.ts speczKeyOf) and the photometric
 * key (its id, or `radec:ra:dec`) are built when asked for. Only the columns the decisions need
 * are kept: z for unique galaxies or a stratified split, distances for one-to-one, flags and
 * instrument types for unique galaxies (a 950k-row run keeps 38 bytes a row instead of 58).
 */
export class DecisionKeys {
  private readonly speczIds: KeyColumn;
  private readonly speczPositions: FallbackPositions;
  private readonly photometricIds: KeyColumn;
  private readonly photometricPositions: FallbackPositions;
  private readonly zs: NumberColumn | null;
  private readonly dists: NumberColumn | null;
  // Taken per row as rows arrive (the main thread waits on the workers then), so the decision
  // pass after the crossmatch builds no keys: the spec-z key's FNV-1a 64 (its low word groups
  // rows, both give the split draw for any seed: hash.ts uniformOfHash) and hashKey of the
  // photometric key.
  private readonly speczHashHigh: Uint32Column;
  private readonly speczHashLow: Uint32Column;
  /** hashKey of the photometric key with the lowest bit set; 0 for a row without a match. */
  private readonly photometricHashes: Uint32Column;
  /** z flags, NaN for null (none without a flag column). */
  private readonly zFlag: NumberColumn | null;
  /** Instrument types as indexes into `typeNames` (the column repeats a few values). */
  private readonly typeCodes: Uint32Column | null;
  private readonly typeNames: (string | null)[] = [null];
  private readonly typeCodeOf = new Map<string, number>();
  private readonly hashWords = new Uint32Array(2);
  /** The grouping's buffers, shared by the passes. */
  private readonly linkScratch = new LinkScratch();

  /**
   * `needs`: the decisions `decide` will be asked for (default: any). `expectedRows`: the rows
   * expected, when known, so the columns are made that long at once: growing by doubling would
   * leave the outgrown copies (half the keys' size) to the garbage collector, and the pages of
   * rows never filled cost no memory.
   */
  constructor(
    private readonly names: KeyColumnNames,
    private readonly needs: DecisionNeeds = EVERY_DECISION,
    expectedRows = 0,
  ) {
    const rows = Math.min(Math.max(0, Math.floor(expectedRows) || 0), MAX_EXPECTED_ROWS);
    const unique = needs.uniqueGalaxies;
    this.speczIds = new KeyColumn(rows);
    this.speczPositions = new FallbackPositions(rows);
    this.photometricIds = new KeyColumn(rows);
    this.photometricPositions = new FallbackPositions(rows);
    this.speczHashHigh = new Uint32Column(rows);
    this.speczHashLow = new Uint32Column(rows);
    this.photometricHashes = new Uint32Column(rows);
    this.zs = unique || needs.splitMethod === 'stratified' ? new NumberColumn(rows) : null;
    this.dists = needs.oneToOne ? new NumberColumn(rows) : null;
    this.zFlag = unique && names.zFlag !== null ? new NumberColumn(rows) : null;
    this.typeCodes = unique && names.instrumentType !== null ? new Uint32Column(rows) : null;
  }

  get rows(): number {
    return this.speczHashLow.length;
  }

  /** Whether row `i` has a photometric match. */
  matched(i: number): boolean {
    return this.photometricHashes.at(i) !== 0;
  }

  speczId(i: number): RowId | null {
    return this.speczIds.at(i) as RowId | null;
  }

  /** The row's spec-z object key: split.ts speczKeyOf, from the id's text. */
  speczKey(i: number): string {
    const id = this.speczIds.text(i);
    if (id !== null && id !== '') return `id:${id}`;
    return speczKeyOf(null, this.speczPositions.raAt(i), this.speczPositions.decAt(i));
  }

  /** The FNV-1a 64 words of speczKey(i) into `out`, without making the key string. */
  private hashSpeczKey(i: number, out: Uint32Array): void {
    fnvBegin();
    if (!this.speczIds.isBlank(i)) {
      fnvAdd('id:');
      this.speczIds.hashText(i);
    } else {
      // speczKeyOf's `radec:${ra}:${dec}`
      fnvAdd('radec:');
      fnvAdd(String(this.speczPositions.raAt(i)));
      fnvAdd(':');
      fnvAdd(String(this.speczPositions.decAt(i)));
    }
    fnvEnd(out);
  }

  /** Whether rows `a` and `b` have the same spec-z key (speczKey), without building the keys. */
  sameSpeczKey(a: number, b: number): boolean {
    const high = this.speczHashHigh;
    const low = this.speczHashLow;
    if (high.at(a) !== high.at(b) || low.at(a) !== low.at(b)) return false;
    const ids = this.speczIds;
    const anonymousA = ids.isBlank(a);
    if (anonymousA !== ids.isBlank(b)) return false;
    if (!anonymousA) return ids.sameText(a, b);
    const at = this.speczPositions;
    return sameNumberText(at.raAt(a), at.raAt(b)) && sameNumberText(at.decAt(a), at.decAt(b));
  }

  /**
   * The sign of `speczKey(a)` compared with `speczKey(b)` (as strings), without building the keys
   * where the ids tell: `id:` keys sort before `radec:` ones.
   */
  compareSpeczKey(a: number, b: number): number {
    const ids = this.speczIds;
    const anonymousA = ids.isBlank(a);
    const anonymousB = ids.isBlank(b);
    if (anonymousA !== anonymousB) return anonymousA ? 1 : -1;
    if (anonymousA) return this.comparePositionKeys(a, b);
    const order = ids.compareText(a, b);
    if (order !== null) return order;
    const keyA = this.speczKey(a);
    const keyB = this.speczKey(b);
    return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
  }

  /** compareSpeczKey of two `radec:${ra}:${dec}` keys from the number texts alone. */
  private comparePositionKeys(a: number, b: number): number {
    const at = this.speczPositions;
    const raA = at.raAt(a);
    const raB = at.raAt(b);
    if (sameNumberText(raA, raB)) return compareTexts(String(at.decAt(a)), String(at.decAt(b)), -1);
    return compareTexts(String(raA), String(raB), COLON);
  }

  /** The row's photometric object: its id, else `radec:ra:dec`; null when unmatched. */
  photometricId(i: number): string | number | bigint | null {
    if (!this.matched(i)) return null;
    const at = this.photometricPositions;
    return this.photometricIds.at(i) ?? `radec:${at.raAt(i)}:${at.decAt(i)}`;
  }

  /**
   * Whether matched rows `a` and `b` have the same photometric object (photometricId equal as a
   * Map key), without making the BigInts where both ids are in typed storage.
   */
  samePhotometricId(a: number, b: number): boolean {
    return (
      this.photometricIds.sameStoredValue(a, b) ??
      sameKey(this.photometricId(a)!, this.photometricId(b)!)
    );
  }

  add(table: Table): void {
    const n = table.numRows;
    if (n === 0) return;
    const c = this.names;
    const id = values(table, c.speczId);
    const ra = values(table, c.speczRa)!;
    const dec = values(table, c.speczDec)!;
    const z = this.zs && values(table, c.z)!;
    const flag = this.zFlag && values(table, c.zFlag);
    const type = this.typeCodes && values(table, c.instrumentType);
    const pid = values(table, c.photometricId);
    const pra = values(table, c.photometricRa)!;
    const pdec = values(table, c.photometricDec)!;
    const dist = values(table, c.dist)!;
    const pidWords = int64Words(pid);
    const idWords = int64Words(id);
    const words = this.hashWords;
    for (let i = 0; i < n; i++) {
      const row = this.rows;
      const matched = dist[i] !== null;
      let speczAnonymous: boolean;
      if (idWords) {
        this.speczIds.pushInt64(idWords[2 * i], idWords[2 * i + 1]);
        speczAnonymous = false;
      } else {
        const speczId = id ? ((id[i] ?? null) as KeyValue | null) : null;
        this.speczIds.push(speczId);
        // the spec-z key falls back to the position without an id text (speczKey)
        speczAnonymous = speczId === null || speczId === '';
      }
      this.speczPositions.push(speczAnonymous, Number(ra[i]), Number(dec[i]));
      if (z) this.zs!.push(numberOrNull(z[i]) ?? NaN);
      this.zFlag?.push((flag ? numberOrNull(flag[i]) : null) ?? NaN);
      this.typeCodes?.push(type && type[i] != null ? this.typeCode(String(type[i])) : 0);
      this.dists?.push(matched ? Number(dist[i]) : NaN);
      this.hashSpeczKey(row, words);
      this.speczHashHigh.push(words[0]);
      this.speczHashLow.push(words[1]);
      if (matched && pidWords) {
        const lo = pidWords[2 * i];
        const hi = pidWords[2 * i + 1];
        this.photometricIds.pushInt64(lo, hi);
        this.photometricPositions.push(false, Number(pra[i]), Number(pdec[i]));
        this.photometricHashes.push((hashInt64Words(lo, hi) | 1) >>> 0);
        continue;
      }
      const object = matched && pid ? ((pid[i] ?? null) as KeyValue | null) : null;
      this.photometricIds.push(object);
      this.photometricPositions.push(matched && object === null, Number(pra[i]), Number(pdec[i]));
      const at = this.photometricPositions;
      const photometricKey = matched ? (object ?? `radec:${at.raAt(row)}:${at.decAt(row)}`) : null;
      this.photometricHashes.push(
        photometricKey === null ? 0 : (hashKey(photometricKey) | 1) >>> 0,
      );
    }
  }

  private typeCode(name: string): number {
    let code = this.typeCodeOf.get(name);
    if (code === undefined) {
      code = this.typeNames.length;
      this.typeNames.push(name);
      this.typeCodeOf.set(name, code);
    }
    return code;
  }

  /** Each row's z flag (null when missing). */
  zFlags(): (number | null)[] {
    const flags = this.zFlag;
    return Array.from({ length: this.rows }, (_, i) => {
      const f = flags ? flags.at(i) : NaN;
      return f === f ? f : null;
    });
  }

  /** Each row's instrument type (null when missing). */
  instrumentTypes(): (string | null)[] {
    const codes = this.typeCodes;
    return Array.from({ length: this.rows }, (_, i) => this.typeNames[codes ? codes.at(i) : 0]);
  }

  private unknownInstrumentTypes(): { rows: number; values: string[] } {
    const codes = this.typeCodes;
    const unknown = this.typeNames.map((t) => t !== null && instrumentTypeScore(t) === 0);
    let rows = 0;
    const seen = new Set<string>();
    if (codes) {
      for (let i = 0; i < this.rows; i++) {
        const code = codes.at(i);
        if (!unknown[code]) continue;
        rows++;
        if (seen.size < 3) seen.add(this.typeNames[code]!);
      }
    }
    return { rows, values: [...seen] };
  }

  private checkNeeds(options: DecisionOptions): void {
    const { uniqueGalaxies, oneToOne, splitMethod } = this.needs;
    const missing = [
      options.uniqueGalaxies && !uniqueGalaxies && 'unique galaxies',
      options.oneToOne && !oneToOne && 'one-to-one',
      options.split.method === 'stratified' && splitMethod !== 'stratified' && 'a stratified split',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new Error(`decision pass: the keys were not kept for ${missing.join(', ')}`);
    }
  }

  /** Runs unique galaxies (optional), one-to-one (optional) and the split over all rows. */
  decide(options: DecisionOptions): Decisions {
    this.checkNeeds(options);
    const n = this.rows;
    let status: Uint8Array = new Uint8Array(n).fill(TIE.kept);
    let uniqueReport: UniqueGalaxyReport | null = null;
    let flagsInfo: Decisions['flags'] = null;
    const zFlags = this.zFlag ? this.zFlags() : null;
    const flags = zFlags?.some((f) => f !== null) ? homogenizeFlags(zFlags) : null;
    if (flags) flagsInfo = { source: flags.source, invalid: flags.invalid };
    const z = this.zs?.view();
    // the rules that group rows by object take the ids as JS values, for this pass only
    const grouping = options.uniqueGalaxies || options.oneToOne;
    const photometricId = grouping
      ? Array.from({ length: n }, (_, i) => this.photometricId(i))
      : [];
    const speczId = grouping ? Array.from({ length: n }, (_, i) => this.speczId(i)) : [];
    if (options.uniqueGalaxies) {
      const r = resolveUniqueGalaxies({
        photometricId,
        speczId,
        z: z!,
        zFlag: flags?.flags,
        instrumentType: this.instrumentTypes(),
      });
      status = r.status;
      uniqueReport = r.report;
    }
    const oneToOneDropped = options.oneToOne
      ? enforceOneToOne(photometricId, this.dists!.view(), status, speczId)
      : null;
    // rows kept, in typed storage (a JS array of a million rows grows through ~30 MB of copies)
    let keptRows = 0;
    for (let i = 0; i < n; i++) if (status[i] !== TIE.dropped) keptRows++;
    const all = keptRows === n; // no renumbering when no row was dropped
    const kept = new Int32Array(all ? 0 : keptRows);
    if (!all) for (let i = 0, k = 0; i < n; i++) if (status[i] !== TIE.dropped) kept[k++] = i;
    const rowOf = (k: number) => (all ? k : kept[k]);
    const hashOf = (column: Uint32Column, nullable: boolean) => (k: number) => {
      const row = rowOf(k);
      return nullable && !this.matched(row) ? null : column.at(row);
    };
    const { seed } = options.split;
    const high = this.speczHashHigh;
    const low = this.speczHashLow;
    const split = assignSplit(
      {
        speczKey: { length: keptRows, at: (k) => this.speczKey(rowOf(k)) },
        photometricId: { length: keptRows, at: (k) => this.photometricId(rowOf(k)) },
        z: z && { length: keptRows, at: (k) => z[rowOf(k)] },
        draw: {
          length: keptRows,
          at: (k) => uniformOfHash(seed, high.at(rowOf(k)), low.at(rowOf(k))),
        },
        hashes: {
          speczKey: hashOf(low, false),
          photometricId: hashOf(this.photometricHashes, true),
          sameSpeczKey: (a, b) => this.sameSpeczKey(rowOf(a), rowOf(b)),
          samePhotometricId: (a, b) => this.samePhotometricId(rowOf(a), rowOf(b)),
          compareSpeczKey: (a, b) => this.compareSpeczKey(rowOf(a), rowOf(b)),
        },
        scratch: this.linkScratch,
      },
      options.split,
    );
    const isTrainingSet = all ? split.isTrainingSet : new Uint8Array(n);
    if (!all) kept.forEach((row, k) => (isTrainingSet[row] = split.isTrainingSet[k]));
    let unmatched = 0;
    for (let i = 0; i < n; i++) if (!this.matched(i)) unmatched++;
    return {
      status,
      isTrainingSet,
      uniqueGalaxies: uniqueReport,
      oneToOneDropped,
      flags: flagsInfo,
      unknownInstrumentTypes: options.uniqueGalaxies ? this.unknownInstrumentTypes() : null,
      split: split.report,
      rowsOut: keptRows,
      unmatched,
    };
  }
}
