/** What crosses either transport for every call: never a thrown error, whose text IPC would mangle. */
export type Reply =
  { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/** The client half: turns a Reply back into its value, or throws an Error with the same message. */
export function unwrapReply(reply: unknown): unknown {
  const r = reply as Reply;
  if (r && r.ok === true) return r.value;
  if (r && r.ok === false) {
    const error = new Error(r.error.message);
    error.name = r.error.name;
    throw error;
  }
  throw new Error('The app sent a malformed reply; restart it.');
}
