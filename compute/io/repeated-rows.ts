/**
 * The rows that repeat an earlier row's (ra, dec, z) exactly, as ascending indices: the second and
 * later copies of each. Without an id column such rows cannot be told apart, yet each counts as a
 * spec-z in every figure. Sorts an index (4 bytes a row) instead of building keys.
 */
export function repeatedRows(
  ra: ArrayLike<number>,
  dec: ArrayLike<number>,
  z: ArrayLike<number>,
  n = ra.length,
): number[] {
  if (n < 2) return [];
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => ra[a] - ra[b] || dec[a] - dec[b] || z[a] - z[b] || a - b);
  const copies: number[] = [];
  for (let k = 1; k < n; k++) {
    const a = order[k - 1];
    const b = order[k];
    if (ra[a] === ra[b] && dec[a] === dec[b] && z[a] === z[b]) copies.push(b);
  }
  return copies.sort((a, b) => a - b);
}
