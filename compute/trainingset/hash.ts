/**
 * A keyed uniform draw for the train/test split: the same (seed, key) always gives the same
 * number, whatever the row order, the batch boundaries or the number of workers.
 *
 * u(seed, key) = splitmix64_next(seed XOR fnv1a64(utf8(key))) / 2^64, top 53 bits.
 * - FNV-1a 64 (Fowler, Noll, Vo; http://www.isthe.com/chongo/tech/comp/fnv/): offset basis
 *   0xcbf29ce484222325, prime 0x100000001b3.
 * - splitmix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators";
 *   reference C by Vigna, https://prng.di.unimi.it/splitmix64.c): state += 0x9e3779b97f4a7c15,
 *   then z = (z ^ z>>30)·0xbf58476d1ce4e5b9, z = (z ^ z>>27)·0x94d049bb133111eb, z ^ z>>31.
 */

const MASK64 = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const TWO_POW_53 = 2 ** 53;
const encoder = new TextEncoder();

/**
 * FNV-1a 64 of the UTF-8 bytes of `text`, on two 32-bit words (no BigInt per byte):
 * h·(2^40 + 0x1b3) mod 2^64 = h·0x1b3 + (lo << 40), so hi' = hi·0x1b3 + carry(lo·0x1b3) + (lo << 8).
 */
export function fnv1a64(text: string): bigint {
  fnv1a64Words(text);
  return (BigInt(words[HI]) << 32n) | BigInt(words[LO]);
}

/** Result words of fnv1a64Words, splitmix64NextWords and mul64: [high, low], reused. */
const words = new Uint32Array(2);
const HI = 0;
const LO = 1;

function fnv1a64Words(text: string): void {
  fnvBegin();
  fnvAdd(text);
}

/**
 * FNV-1a 64 of a text given in pieces, without making the whole string: fnvBegin, fnvAdd for
 * each piece in order, then fnvEnd gives the [high, low] words of the whole's hash.
 */
export function fnvBegin(): void {
  words[HI] = 0xcbf29ce4;
  words[LO] = 0x84222325;
}

export function fnvAdd(text: string): void {
  // ASCII text is its own UTF-8: its char codes are hashed as they are read (keys are mostly ids
  // and number texts), the step of fnvAddBytes written out here so no byte array is filled first
  let hi = words[HI];
  let lo = words[LO];
  const n = text.length;
  let i = 0;
  for (; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) break;
    lo ^= code;
    const low = (lo & 0xffff) * 0x1b3;
    const mid = (low >>> 16) + (lo >>> 16) * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + (mid >>> 16) + (lo << 8)) | 0;
    lo = (mid << 16) | (low & 0xffff);
  }
  words[HI] = hi;
  words[LO] = lo;
  // the rest from the first non-ASCII character on (a character boundary) as UTF-8 bytes
  if (i < n) fnvAddBytes(encoder.encode(i === 0 ? text : text.slice(i)));
}

/** The text of fnvAddInteger, written from the end (reused). */
const digits = new Uint8Array(24);

/**
 * fnvAdd(String(n)) for an integer `n` with |n| < 2^53, without making the string: String of an
 * integer beyond 2^31 is V8's slow double-to-text path (0.5 µs per spec-z id at 1M rows).
 */
export function fnvAddInteger(n: number): void {
  let at = digits.length;
  let rest = Math.abs(n);
  // below 2^53 the quotient by 1e9 and its remainder are exact, and each fits an int32
  const high = Math.floor(rest / 1e9);
  if (high > 0) {
    let low = rest - high * 1e9;
    for (let k = 0; k < 9; k++) {
      const q = (low / 10) | 0;
      digits[--at] = 0x30 + low - q * 10;
      low = q;
    }
    rest = high;
  }
  do {
    const q = (rest / 10) | 0;
    digits[--at] = 0x30 + rest - q * 10;
    rest = q;
  } while (rest > 0);
  if (n < 0) digits[--at] = 0x2d; // '-'
  fnvAddBytes(digits, at);
}

function fnvAddBytes(bytes: Uint8Array, from = 0, to = bytes.length): void {
  let hi = words[HI];
  let lo = words[LO];
  for (let i = from; i < to; i++) {
    lo ^= bytes[i];
    // lo·0x1b3 from 16-bit halves (exact in int32 arithmetic, no float division per byte)
    const low = (lo & 0xffff) * 0x1b3;
    const mid = (low >>> 16) + (lo >>> 16) * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + (mid >>> 16) + (lo << 8)) | 0;
    lo = (mid << 16) | (low & 0xffff);
  }
  words[HI] = hi;
  words[LO] = lo;
}

export function fnvEnd(out: Uint32Array): void {
  out[HI] = words[HI];
  out[LO] = words[LO];
}

/** The same hash with BigInt arithmetic, the reference the fast version is tested against. */
export function fnv1a64Reference(text: string): bigint {
  let h = FNV_OFFSET;
  for (const byte of encoder.encode(text)) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK64;
  return h;
}

/**
 * splitmix64's output function applied to `state + golden gamma` (one `next()` from `state`), with
 * BigInt arithmetic: the reference keyedUniform's word arithmetic is tested against.
 */
export function splitmix64Next(state: bigint): bigint {
  let z = (state + GOLDEN) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** The keyed draw in [0, 1): 53 random bits, like Math.random's resolution. */
export function keyedUniform(seed: number, key: string): number {
  fnv1a64Words(key);
  return uniformOfHash(seed, words[HI], words[LO]);
}

/**
 * keyedUniform(seed, key) from the FNV-1a 64 words of the key (fnvBegin / fnvAdd / fnvEnd): a key
 * hashed once gives its draw for any seed later (the decision pass keeps the words, not the key).
 */
export function uniformOfHash(seed: number, hi: number, lo: number): number {
  // seed is a safe non-negative integer (validateSplit): its words XOR the hash's
  splitmix64NextWords(
    (Math.floor(seed / 0x100000000) ^ hi) >>> 0,
    ((seed % 0x100000000) ^ lo) >>> 0,
  );
  return (words[HI] * 2 ** 21 + (words[LO] >>> 11)) / TWO_POW_53;
}

/** keyedUniform with BigInt arithmetic throughout (the reference of the tests). */
export function keyedUniformReference(seed: number, key: string): number {
  const state = (BigInt(seed) & MASK64) ^ fnv1a64Reference(key);
  return Number(splitmix64Next(state) >> 11n) / TWO_POW_53;
}

/** splitmix64Next on two 32-bit words (no BigInt per draw); the result goes to `words`. */
function splitmix64NextWords(hi: number, lo: number): void {
  // state + 0x9e3779b97f4a7c15
  let l = lo + 0x7f4a7c15;
  let h = (hi + 0x9e3779b9 + (l >= 0x100000000 ? 1 : 0)) >>> 0;
  l >>>= 0;
  // z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9
  mul64(h ^ (h >>> 30), (l ^ ((l >>> 30) | (h << 2))) >>> 0, 0xbf58476d, 0x1ce4e5b9);
  h = words[HI];
  l = words[LO];
  // z = (z ^ z >> 27) * 0x94d049bb133111eb
  mul64(h ^ (h >>> 27), (l ^ ((l >>> 27) | (h << 5))) >>> 0, 0x94d049bb, 0x133111eb);
  h = words[HI];
  l = words[LO];
  // z ^ z >> 31
  words[HI] = (h ^ (h >>> 31)) >>> 0;
  words[LO] = (l ^ ((l >>> 31) | (h << 1))) >>> 0;
}

/** (ah·2^32 + al)(bh·2^32 + bl) mod 2^64 into `words`, from 16-bit partial products (exact). */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33
  const low = a0 * b0 + (mid % 0x10000) * 0x10000; // < 2^33
  const carry = Math.floor(low / 0x100000000) + Math.floor(mid / 0x10000) + a1 * b1;
  words[LO] = low >>> 0;
  words[HI] = (carry + Math.imul(ah >>> 0, bl) + Math.imul(al, bh >>> 0)) >>> 0;
}
