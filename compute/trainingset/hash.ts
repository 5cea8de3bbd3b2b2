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
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  // ASCII text is its own UTF-8: hash the char codes without encoding (keys are mostly ids)
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const bytes = ascii ? asciiCodes(text) : encoder.encode(text);
  const n = ascii ? text.length : bytes.length;
  for (let i = 0; i < n; i++) {
    const byte = bytes[i];
    lo ^= byte;
    const loTimes = (lo >>> 0) * 0x1b3; // < 2^41: exact
    const carry = Math.floor(loTimes / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = loTimes >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

const asciiScratch = { codes: new Uint8Array(64) };

/** The char codes of ASCII `text` in a reused buffer (valid up to text.length). */
function asciiCodes(text: string): Uint8Array {
  if (asciiScratch.codes.length < text.length) asciiScratch.codes = new Uint8Array(text.length * 2);
  const codes = asciiScratch.codes;
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

/** The same hash with BigInt arithmetic, the reference the fast version is tested against. */
export function fnv1a64Reference(text: string): bigint {
  let h = FNV_OFFSET;
  for (const byte of encoder.encode(text)) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK64;
  return h;
}

/** splitmix64's output function applied to `state + golden gamma` (one `next()` from `state`). */
export function splitmix64Next(state: bigint): bigint {
  let z = (state + GOLDEN) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** The keyed draw in [0, 1): 53 random bits, like Math.random's resolution. */
export function keyedUniform(seed: number, key: string): number {
  const state = (BigInt(seed) & MASK64) ^ fnv1a64(key);
  return Number(splitmix64Next(state) >> 11n) / TWO_POW_53;
}
