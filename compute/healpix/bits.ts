/**
 * Bit interleaving (Morton / Z-order) on 32-bit halves, so that order-29 NESTED indices (up to
 * 2^62) are built and taken apart without floats or BigInt in the hot path.
 *
 * A NESTED index inside a base face is `spread(ix) | spread(iy) << 1` (ix on the even bits, iy on
 * the odd bits): Górski et al. 2005, ApJ 622, 759, section 4 ("nested scheme"), and the
 * `xyf2nest` / `nest2xyf` functions of HEALPix C++ `healpix_base.cc`.
 */

/** Spread the low 16 bits of `v` onto the even bits of a 32-bit word (result < 2^31). */
export function spread16(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** Gather the even bits of a 32-bit word into 16 bits (the inverse of {@link spread16}). */
export function compact32(v: number): number {
  let x = v & 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** Low 32 bits (unsigned) of the interleave of ix, iy (each < 2^29). */
export function interleaveLo(ix: number, iy: number): number {
  return (spread16(ix) | (spread16(iy) << 1)) >>> 0;
}

/** Bits 32..61 of the interleave of ix, iy (each < 2^29); the result is < 2^27. */
export function interleaveHi(ix: number, iy: number): number {
  return spread16(ix >>> 16) | (spread16(iy >>> 16) << 1);
}

/** ix from the (hi, lo) 32-bit halves of an in-face interleaved index. */
export function deinterleaveX(hi: number, lo: number): number {
  return compact32(lo) | (compact32(hi) << 16);
}

/** iy from the (hi, lo) 32-bit halves of an in-face interleaved index. */
export function deinterleaveY(hi: number, lo: number): number {
  return compact32(lo >>> 1) | (compact32(hi >>> 1) << 16);
}

/** True when the platform stores the low 32-bit word of a 64-bit integer first. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
