import { DataType, type Field } from 'apache-arrow';
import { HatsError } from './errors';
import type { ParquetFile } from './parquet-file';
import { arrowSchemaFromParquet } from './parquet-schema';

/**
 * The family of an Arrow type, as far as the leaf reader can convert between members: any int
 * or float column is read into the catalog's numeric type (toArrowData casts), but a string read
 * as a number would silently become NaN, so families must agree.
 */
function family(type: DataType): string {
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type)) return 'number';
  if (DataType.isBool(type)) return 'boolean';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type))
    return 'binary';
  if (DataType.isList(type)) return 'list';
  if (DataType.isStruct(type)) return 'struct';
  if (DataType.isTimestamp(type) || DataType.isDate(type) || DataType.isTime(type)) return 'time';
  return String(type);
}

/**
 * Checks that a leaf file has every requested column of the catalog schema, each of a type the
 * reader can convert to the catalog's (a catalog whose schema changes between partitions is
 * refused by name instead of read as wrong values).
 * @throws HatsError naming the leaf file, the columns and both types
 */
export function checkLeafFields(file: ParquetFile, fields: Field[]): void {
  const leaf = arrowSchemaFromParquet(file.metadata);
  const byName = new Map(leaf.schema.fields.map((f) => [f.name, f]));
  const missing = fields
    .filter((f) => !byName.has(f.name) && !leaf.unsupported.has(f.name))
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new HatsError(
      `${file.source.name}: column(s) ${missing.join(', ')} of the catalog schema are missing from this leaf file. ` +
        'The catalog is inconsistent: regenerate it with hats-import.',
    );
  }
  const changed: string[] = [];
  for (const f of fields) {
    const own = byName.get(f.name);
    const why = leaf.unsupported.get(f.name);
    if (why) changed.push(`${f.name} (${why})`);
    else if (own && family(own.type) !== family(f.type))
      changed.push(`${f.name} (${String(own.type)} here, ${String(f.type)} in the catalog schema)`);
  }
  if (changed.length > 0) {
    throw new HatsError(
      `${file.source.name}: column(s) ${changed.join(', ')} have another type in this leaf file than in the catalog schema. ` +
        'The catalog is inconsistent: regenerate it with hats-import.',
    );
  }
}
