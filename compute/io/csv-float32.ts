/**
 * Writes float32 values as short decimal ASCII straight into a byte buffer (no string per cell):
 * the fewest of 7, 8 or 9 significant digits that read back as the same float32 (9 always do,
 * IEEE 754-2008 §5.12.2). Digits come from an integer m = round(|v| * 10^k), exact in float64
 * because m < 10^9; the check divides by an exact power of ten (correctly rounded below 10^22).
 * Values outside [1e-6, 1e15) return -1 so the caller falls back to text formatting.
 */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const digits = new Uint8Array(12);

export function writeFloat32Ascii(v: number, out: Uint8Array, at: number): number {
  let pos = at;
  let a = v;
  if (a < 0) {
    out[pos++] = 45; // '-'
    a = -a;
  }
  if (a === 0) {
    out[pos++] = 48;
    return pos;
  }
  if (!(a >= 1e-6 && a < 1e15)) return -1;
  let e = Math.floor(Math.log10(a));
  if (POW10[Math.max(0, e)] > a && e > 0) e -= 1;
  let m = 0;
  let k = 0;
  for (let d = 7; d <= 9; d++) {
    k = d - 1 - e;
    if (k > 22) return -1;
    m = k >= 0 ? Math.round(a * POW10[k]) : Math.round(a / POW10[-k]);
    const back = k >= 0 ? m / POW10[k] : m * POW10[-k];
    if (Math.fround(back) === a) break;
  }
  // drop trailing zeros of m while they are after the decimal point
  while (k > 0 && m % 10 === 0) {
    m /= 10;
    k -= 1;
  }
  let n = 0;
  while (m > 0) {
    digits[n++] = 48 + (m % 10);
    m = Math.floor(m / 10);
  }
  if (k <= 0) {
    for (let i = n - 1; i >= 0; i--) out[pos++] = digits[i];
    for (let i = 0; i < -k; i++) out[pos++] = 48;
  } else if (k >= n) {
    out[pos++] = 48;
    out[pos++] = 46;
    for (let i = 0; i < k - n; i++) out[pos++] = 48;
    for (let i = n - 1; i >= 0; i--) out[pos++] = digits[i];
  } else {
    for (let i = n - 1; i >= 0; i--) {
      out[pos++] = digits[i];
      if (i === k) out[pos++] = 46;
    }
  }
  return pos;
}
