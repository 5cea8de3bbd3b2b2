import type { Schema } from 'apache-arrow';

/** Throws when a batch's columns (names and types, in order) differ from the writer's schema. */
export function assertSameColumns(path: string, expected: Schema, actual: Schema): void {
  const a = expected.fields.map((f) => `${f.name}: ${f.type}`);
  const b = actual.fields.map((f) => `${f.name}: ${f.type}`);
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
    throw new Error(
      `${path}: a batch has columns [${b.join(', ')}] but the output has [${a.join(', ')}]`,
    );
  }
}
