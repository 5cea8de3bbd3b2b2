/**
 * Brute-force geometry oracle for neighbour tests: the corners of every pixel of an order, as
 * quantised unit-vector keys, so "shares a vertex" is a key lookup. Independent of the neighbour
 * face tables: it only uses the inverse projection (pixelCorners).
 */
import { npix, pixelCorners } from '../../../compute/healpix';

/** Key of a unit vector rounded to 1e-9 (corners of different pixels agree to ~1e-15). */
export function vertexKey(raDeg: number, decDeg: number): string {
  const ra = (raDeg * Math.PI) / 180;
  const dec = (decDeg * Math.PI) / 180;
  const r = (v: number): number => Math.round(v * 1e9) + 0;
  return `${r(Math.cos(dec) * Math.cos(ra))},${r(Math.cos(dec) * Math.sin(ra))},${r(Math.sin(dec))}`;
}

export interface VertexIndex {
  /** Corner keys of each pixel, N W S E. */
  corners: string[][];
  /** Pixels touching each vertex key. */
  byVertex: Map<string, number[]>;
}

/** Corner keys of every pixel at `order`, and the reverse map. */
export function buildVertexIndex(order: number): VertexIndex {
  const corners: string[][] = [];
  const byVertex = new Map<string, number[]>();
  for (let p = 0; p < npix(order); p++) {
    const keys = pixelCorners(order, p).map((c) => vertexKey(c.raDeg, c.decDeg));
    corners.push(keys);
    for (const k of keys) {
      const list = byVertex.get(k) ?? [];
      list.push(p);
      byVertex.set(k, list);
    }
  }
  return { corners, byVertex };
}

/** Pixels other than `pixel` sharing at least one vertex with it. */
export function vertexNeighbours(index: VertexIndex, pixel: number): Set<number> {
  const out = new Set<number>();
  for (const k of index.corners[pixel]) {
    for (const q of index.byVertex.get(k) ?? []) if (q !== pixel) out.add(q);
  }
  return out;
}
