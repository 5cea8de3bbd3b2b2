/** Tools of the fuzz suite: seeded byte mutations and a judge of each reader's answer. */
import { UserError } from '../../compute/errors';

/** Byte-level mutations of a valid input; `hot` biases edits towards a region (a footer). */
export function mutate(bytes: Uint8Array, rand: () => number, hot?: [number, number]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(bytes);
  const pos = () =>
    hot && rand() < 0.7
      ? hot[0] + Math.floor(rand() * Math.max(1, hot[1] - hot[0]))
      : Math.floor(rand() * Math.max(1, b.length));
  const tokens = [',', ';', '\t', '"', '\n', '\r\n', 'NaN', '-inf', '1e999', '', '\u0000', '#', "'"]
    .map((t) => new TextEncoder().encode(t))
    .concat([new Uint8Array(3000).fill(0x41)]);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const op = Math.floor(rand() * 6);
    const at = Math.min(pos(), b.length);
    if (op === 0 && b.length > 0) {
      b[Math.min(at, b.length - 1)] ^= 1 << Math.floor(rand() * 8);
    } else if (op === 1) {
      b = b.subarray(0, at); // truncate
    } else if (op === 2) {
      const t = tokens[Math.floor(rand() * tokens.length)];
      b = concat(b.subarray(0, at), t, b.subarray(at));
    } else if (op === 3) {
      const len = Math.floor(rand() * 64);
      b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + len)));
    } else if (op === 4) {
      const len = Math.floor(rand() * 16);
      const junk = Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
      b = concat(b.subarray(0, at), junk, b.subarray(at));
    } else {
      const len = Math.floor(rand() * 200);
      b = concat(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at));
    }
  }
  return b;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export type Outcome = 'ok' | 'clean' | { bad: string };

/** Runs `f`; a result or a UserError naming `name` is fine, anything else (or > 10 s) is not. */
export async function judge(name: string, f: () => Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('HANG: no answer within 10 s')), 10_000);
  });
  try {
    await Promise.race([f(), hang]);
    return 'ok';
  } catch (err) {
    const e = err as Error;
    if (e instanceof UserError && e.message.includes(name)) return 'clean';
    return { bad: `${e?.name}: ${String(e?.message).slice(0, 300)}` };
  } finally {
    clearTimeout(timer);
  }
}

export interface Tally {
  ok: number;
  clean: number;
  bad: string[];
}

export function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Hot region of a parquet file: its footer (metadata + length + PAR1). */
export function footerRange(bytes: Uint8Array): [number, number] {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  return [Math.max(0, bytes.length - 8 - len), bytes.length];
}
