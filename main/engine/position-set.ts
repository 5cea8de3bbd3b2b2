/**
 * A set of (ra, dec) pairs of doubles, compared as numbers (-0 equals 0; NaN is never held):
 * open addressing over two Float64Arrays, 16 bytes a slot, so that a million positions cost tens
 * of MB rather than the hundreds a Set of `${ra}|${dec}` strings takes, and no number is turned
 * into text.
 */
export class PositionSet {
  private ras: Float64Array;
  private decs: Float64Array;
  private used: Uint8Array;
  private mask: number;
  private filled = 0;
  private readonly bits = new Float64Array(2);
  private readonly words = new Uint32Array(this.bits.buffer);

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.ras = new Float64Array(capacity);
    this.decs = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.filled;
  }

  add(ra: number, dec: number): void {
    if (ra !== ra || dec !== dec) return;
    if ((this.filled + 1) * 2 > this.used.length) this.grow();
    const slot = this.find(ra + 0, dec + 0);
    if (this.used[slot]) return;
    this.used[slot] = 1;
    this.ras[slot] = ra + 0;
    this.decs[slot] = dec + 0;
    this.filled++;
  }

  has(ra: number, dec: number): boolean {
    if (ra !== ra || dec !== dec) return false;
    return this.used[this.find(ra + 0, dec + 0)] === 1;
  }

  /** The slot holding (ra, dec), or the empty slot where it would go (`+ 0` made -0 into 0). */
  private find(ra: number, dec: number): number {
    const bits = this.bits;
    const w = this.words;
    bits[0] = ra;
    bits[1] = dec;
    let h = Math.imul(w[0] ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ w[1] ^ (h >>> 15), 0xc2b2ae35);
    h = Math.imul(h ^ w[2] ^ (h >>> 13), 0x85ebca6b);
    h = Math.imul(h ^ w[3] ^ (h >>> 16), 0xc2b2ae35);
    h ^= h >>> 15;
    let slot = h & this.mask;
    while (this.used[slot] && (this.ras[slot] !== ra || this.decs[slot] !== dec)) {
      slot = (slot + 1) & this.mask;
    }
    return slot;
  }

  private grow(): void {
    const { ras, decs, used } = this;
    const capacity = used.length * 2;
    this.ras = new Float64Array(capacity);
    this.decs = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.filled = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(ras[i], decs[i]);
  }
}
