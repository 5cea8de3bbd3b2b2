/**
 * A worker task result whose buffers are moved to the caller instead of copied (a table's column
 * buffers, compute/arrow/packed-table.ts, inside a result object): `compute/pipeline/worker.ts`
 * hands `buffers` to piscina as the transfer list and the caller receives `value`.
 */
export class WithTransfer<T> {
  constructor(
    readonly value: T,
    readonly buffers: ArrayBuffer[],
  ) {}
}
