/**
 * A set of id texts in typed arrays, to find repeated ids in a spec-z file of millions of rows:
 * each id's characters go into one growing array (a byte each while they are all Latin-1, two
 * bytes once one is not), found again through an open-addressing table of 32-bit hashes. Exact:
 * ids whose hashes collide are told apart by their text. About a byte a character and 16 bytes a
 * row, where a Set of strings costs 50-70 bytes a row, most of it in the old generation that V8
 * then lets grow further before it collects.
 */

/** FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class IdSet {
  /** Code units of every id added, back to back; id k is chars[starts[k], starts[k + 1]). */
  private chars: Uint8Array | Uint16Array = new Uint8Array(1 << 16);
  private starts = new Uint32Array(1 << 12);
  private hashes = new Uint32Array(1 << 12);
  /** Open addressing: id index + 1, 0 for an empty slot; a power of two, at most half full. */
  private slots = new Int32Array(1 << 13);
  private count = 0;

  /** `hash` is replaceable for tests (a constant one makes every id collide). */
  constructor(private readonly hash: (text: string) => number = fnv1a) {}

  get size(): number {
    return this.count;
  }

  /** Adds `id`; false when it was there already. */
  add(id: string): boolean {
    const h = this.hash(id) >>> 0;
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.slots[s] - 1;
      if (k < 0) break;
      if (this.hashes[k] === h && this.equals(k, id)) return false;
    }
    this.append(id, h);
    if (2 * this.count > this.slots.length) this.rehash(2 * this.slots.length);
    else this.place(this.count - 1, h);
    return true;
  }

  private equals(k: number, id: string): boolean {
    const start = this.starts[k];
    if (this.starts[k + 1] - start !== id.length) return false;
    for (let i = 0; i < id.length; i++)
      if (this.chars[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  private append(id: string, h: number): void {
    const k = this.count;
    if (k + 2 > this.starts.length) {
      this.starts = grow(this.starts, 2 * this.starts.length);
      this.hashes = grow(this.hashes, this.starts.length);
    }
    const start = this.starts[k];
    const end = start + id.length;
    if (end > this.chars.length) {
      this.chars = grow(this.chars, Math.max(2 * this.chars.length, end));
    }
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      // the first character beyond Latin-1: two bytes a character from now on
      if (c > 0xff && this.chars instanceof Uint8Array) this.chars = Uint16Array.from(this.chars);
      this.chars[start + i] = c;
    }
    this.starts[k + 1] = end;
    this.hashes[k] = h;
    this.count++;
  }

  private place(k: number, h: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = k + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let k = 0; k < this.count; k++) this.place(k, this.hashes[k]);
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, size: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(size);
  bigger.set(a);
  return bigger;
}
