/**
 * JSON encoding of call arguments for the web bridge: Uint8Array (file uploads) travels as
 * `{ "$bytes": "<base64>" }`. Runs in the browser and in Node (no Buffer needed).
 */
const CHUNK = 0x8000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { $bytes: toBase64(v) } : v,
  );
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const bytes = (v as { $bytes?: unknown }).$bytes;
      if (typeof bytes === 'string' && Object.keys(v).length === 1) return fromBase64(bytes);
    }
    return v;
  });
}
