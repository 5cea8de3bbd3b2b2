import { tableFromIPC } from 'apache-arrow';
import { LocalFileSource } from '../../compute/hats/byte-source';
import { parseFooter } from '../../compute/hats/parquet-file';

/** The units in a Parquet file's footer: the `unit` metadata of its Arrow schema's fields. */
export async function parquetUnits(path: string): Promise<Map<string, string | undefined>> {
  const source = new LocalFileSource(path);
  const footer = await parseFooter(source, await source.size());
  const base64 = footer.metadata.key_value_metadata?.find((kv) => kv.key === 'ARROW:schema');
  // the schema message, then the end-of-stream marker, as an IPC stream
  const message = Buffer.from(base64!.value!, 'base64');
  const eos = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  const schema = tableFromIPC(Buffer.concat([message, eos])).schema;
  return new Map(schema.fields.map((f) => [f.name, f.metadata.get('unit')]));
}
