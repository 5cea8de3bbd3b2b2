import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { makeFolder } from '../io/make-folder';

/** What the cache remembers about one URL: its size and validators when it was fetched (or that it was missing). */
export const cachedMetaSchema = z.object({
  url: z.string(),
  missing: z.boolean().optional(),
  size: z.number().int().min(0),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** Whether the server honoured Range requests (false: whole-file reads only). */
  rangeSupport: z.boolean(),
  /** When the server last confirmed this version (ms since epoch). */
  checkedAt: z.number().optional(),
});
export type CachedMeta = z.infer<typeof cachedMetaSchema>;

const MAGIC = Buffer.from('TSMBLK1\n');
const HEADER_BYTES = MAGIC.length + 32;
/** Leftover temp files of crashed writers are removed after this age. */
const STALE_TEMP_MS = 10 * 60 * 1000;

function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The validator string that keys a file version: the ETag, else Last-Modified, else the size. */
export function validatorOf(meta: Pick<CachedMeta, 'etag' | 'lastModified' | 'size'>): string {
  if (meta.etag) return `etag:${meta.etag}`;
  if (meta.lastModified) return `lm:${meta.lastModified}`;
  return `size:${meta.size}`;
}

/**
 * A disk cache of aligned byte blocks of remote files, keyed by URL + validator + block size +
 * block index, plus one small JSON record per URL. Each block file is `TSMBLK1\n`, the SHA-256 of
 * the data, then the data; the hash is checked on every read and a bad block is deleted and treated
 * as absent. Writes go to a temp file renamed into place (atomic on one file system), so a crash
 * or a failed download never leaves a half-written entry. Above `maxBytes`, the least recently used
 * blocks (oldest mtime; reads touch the mtime) are deleted down to 90% of the limit.
 */
export class DiskCache {
  private totalBytes: number | undefined;
  private evicting: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private metaPath(url: string): string {
    return join(this.dir, 'v1', 'meta', `${sha256(url).toString('hex')}.json`);
  }

  private blockPath(url: string, validator: string, blockBytes: number, index: number): string {
    const h = sha256(`${url}\n${validator}\n${blockBytes}\n${index}`).toString('hex');
    return join(this.dir, 'v1', 'blocks', h.slice(0, 2), `${h}.blk`);
  }

  async readMeta(url: string): Promise<CachedMeta | undefined> {
    try {
      const parsed = cachedMetaSchema.safeParse(
        JSON.parse(await readFile(this.metaPath(url), 'utf8')),
      );
      return parsed.success && parsed.data.url === url ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async writeMeta(meta: CachedMeta): Promise<void> {
    await atomicWrite(this.metaPath(meta.url), Buffer.from(JSON.stringify(meta)));
  }

  /** The block's bytes, or undefined when absent or corrupt (length or hash mismatch). */
  async readBlock(
    url: string,
    validator: string,
    blockBytes: number,
    index: number,
    expectedLength: number,
  ): Promise<Uint8Array | undefined> {
    const path = this.blockPath(url, validator, blockBytes, index);
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch {
      return undefined;
    }
    const data = buf.subarray(HEADER_BYTES);
    const ok =
      buf.length === HEADER_BYTES + expectedLength &&
      buf.subarray(0, MAGIC.length).equals(MAGIC) &&
      buf.subarray(MAGIC.length, HEADER_BYTES).equals(sha256(data));
    if (!ok) {
      await unlink(path).catch(() => undefined);
      return undefined;
    }
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  }

  /** Stores a block (atomically) and evicts old blocks when the cache is over its limit. */
  async writeBlock(
    url: string,
    validator: string,
    blockBytes: number,
    index: number,
    data: Uint8Array,
  ): Promise<void> {
    const body = Buffer.concat([MAGIC, sha256(data), data]);
    await atomicWrite(this.blockPath(url, validator, blockBytes, index), body);
    if (this.totalBytes !== undefined) this.totalBytes += body.length;
    else await this.scan();
    if (this.totalBytes! > this.maxBytes) await this.evict();
  }

  /** Sum of block file sizes (scans the folder the first time). */
  async size(): Promise<number> {
    if (this.totalBytes === undefined) await this.scan();
    return this.totalBytes!;
  }

  private async listBlocks(): Promise<{ path: string; bytes: number; mtimeMs: number }[]> {
    const root = join(this.dir, 'v1', 'blocks');
    const out: { path: string; bytes: number; mtimeMs: number }[] = [];
    let subdirs: string[];
    try {
      subdirs = await readdir(root);
    } catch {
      return out;
    }
    for (const sub of subdirs) {
      let names: string[];
      try {
        names = await readdir(join(root, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(root, sub, name);
        try {
          const s = await stat(path);
          if (name.endsWith('.tmp')) {
            if (Date.now() - s.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => undefined);
            continue;
          }
          out.push({ path, bytes: s.size, mtimeMs: s.mtimeMs });
        } catch {
          // Deleted meanwhile by another process: not ours to count.
        }
      }
    }
    return out;
  }

  private async scan(): Promise<void> {
    const blocks = await this.listBlocks();
    this.totalBytes = blocks.reduce((sum, b) => sum + b.bytes, 0);
  }

  private evict(): Promise<void> {
    this.evicting ??= (async () => {
      try {
        const blocks = (await this.listBlocks()).sort((a, b) => a.mtimeMs - b.mtimeMs);
        let total = blocks.reduce((sum, b) => sum + b.bytes, 0);
        const target = this.maxBytes * 0.9;
        for (const b of blocks) {
          if (total <= target) break;
          await unlink(b.path).catch(() => undefined);
          total -= b.bytes;
        }
        this.totalBytes = total;
      } finally {
        this.evicting = undefined;
      }
    })();
    return this.evicting;
  }
}

/** Writes `data` to `path` via a unique temp file in the same folder and a rename. */
async function atomicWrite(path: string, data: Uint8Array): Promise<void> {
  await makeFolder(dirname(path));
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
