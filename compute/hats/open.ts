import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalDirStore, type ByteStore } from './byte-source';
import { HatsCatalog } from './catalog';
import { HatsCollection } from './collection';
import { HatsError } from './errors';
import { detectPropertiesFile } from './properties';
import { openStore } from './store';

/**
 * Opens a HATS catalog or collection: a folder is a catalog if it has `hats.properties` (or the
 * legacy `properties`), else a collection if it has `collection.properties`
 * (`hats:src/hats/loaders/read_hats.py::read_hats`).
 */
export async function openHats(
  location: string | ByteStore,
): Promise<HatsCatalog | HatsCollection> {
  const store = typeof location === 'string' ? openStore(location) : location;
  const found = await detectPropertiesFile(store);
  // a local folder given as a store (the app's, which passes a cancel signal) is checked too:
  // it was told "no hats.properties ..." for a folder that does not exist, or a file
  const localPath =
    typeof location === 'string' ? location : store instanceof LocalDirStore ? store.root : null;
  if (!found && localPath !== null) await checkLocalFolder(localPath);
  if (!found) {
    const legacy = await store.exists('catalog_info.json');
    const file = singleFileUrl(store.root);
    const below =
      localPath !== null && !isUrl(localPath) && !legacy ? await catalogsBelow(localPath) : [];
    throw new HatsError(
      file
        ? `${file.url} is the address of one ${file.ext} file, not of a HATS catalog or collection folder (the one holding hats.properties): give the folder's URL; a spec-z file is read from disk, so download it and give its path.`
        : legacy
          ? `${store.root} is a legacy hipscat catalog (catalog_info.json): convert it to HATS with hats-import's hipscat conversion.`
          : `${store.root}: no hats.properties, properties or collection.properties file. ` +
            'Give the folder (or URL) of a HATS catalog or collection' +
            (below.length === 0
              ? '.'
              : `; this folder holds ${below.length === 1 ? 'one' : 'some'} further down: ${listBelow(below)}.`),
    );
  }
  return found.kind === 'catalog'
    ? HatsCatalog.open(store, found.file)
    : HatsCollection.open(store);
}

/** Extensions of single files (tables, archives) that an http(s) address may end with. */
const FILE_EXTENSION =
  /\.(parquet|pq|parq|fits|fit|fts|h5|hdf5|hdf|hf5|he5|csv|tsv|txt|dat|zip|gz|tar|bz2|xz|tgz)$/i;

/** The URL and extension of an http(s) address of one file (.../specz.parquet), else undefined. */
function singleFileUrl(root: string): { url: string; ext: string } | undefined {
  if (!/^https?:\/\//i.test(root)) return undefined;
  const url = root.replace(/\/+$/, '');
  const ext = FILE_EXTENSION.exec(new URL(url).pathname)?.[0];
  return ext ? { url, ext } : undefined;
}

function isUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/** A local path that is missing or a file gets its own message (not "no properties file"). */
async function checkLocalFolder(location: string): Promise<void> {
  if (isUrl(location)) return;
  const info = await stat(location).catch(() => null);
  if (!info) throw new HatsError(`${location}: no such folder; check the path`);
  if (!info.isDirectory()) {
    throw new HatsError(
      `${location} is a file, not a HATS folder; give the folder of a HATS catalog or collection`,
    );
  }
}

/** How many folders catalogsBelow looks into, at most, and how deep. */
const BELOW_MAX_FOLDERS = 200;
const BELOW_MAX_DEPTH = 5;
const PROPERTIES_FILES = ['hats.properties', 'properties', 'collection.properties'];

/**
 * The folders under `root` (breadth first, a bounded walk) that hold a HATS properties file: a
 * scientist who gives the folder above a catalog (the original service's `dr2/`, whose catalog
 * is `dr2/mag/auto/sfd/catalog`) is told where it is. A catalog's own folders (`dataset`,
 * `Norder=*`) are not walked.
 */
async function catalogsBelow(root: string): Promise<string[]> {
  const hits: string[] = [];
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth < BELOW_MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (visited++ >= BELOW_MAX_FOLDERS) return hits;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      if (dir !== root && entries.some((e) => e.isFile() && PROPERTIES_FILES.includes(e.name))) {
        hits.push(dir);
        continue;
      }
      for (const e of entries) {
        if (e.isDirectory() && !/^(\.|dataset$|Norder=)/.test(e.name)) next.push(join(dir, e.name));
      }
    }
    level = next.sort();
  }
  return hits;
}

/** The first three of `dirs` (their paths), and how many more. */
function listBelow(dirs: string[]): string {
  const shown = dirs.slice(0, 3).join(', ');
  return dirs.length > 3 ? `${shown} and ${dirs.length - 3} more` : shown;
}

const OBJECT_TYPES = new Set(['object', 'source']);

export interface ObjectCatalogOptions {
  /** A margin name of the collection, a path/URL of a margin catalog, or 'none'. Default: the collection's default margin. */
  margin?: string;
}

/** Throws unless the catalog holds objects or sources (not a margin, index or association). */
export function checkObjectCatalog(catalog: HatsCatalog): void {
  if (OBJECT_TYPES.has(catalog.properties.catalogType)) return;
  const hint =
    catalog.properties.catalogType === 'margin'
      ? ` Open its primary catalog instead (hats_primary_table_url=${catalog.properties.primaryTableUrl ?? '?'}).`
      : ' Give an object or source catalog (or a collection).';
  throw new HatsError(
    `${catalog.location} is ${/^[aeiou]/i.test(catalog.properties.catalogType) ? 'an' : 'a'} ${catalog.properties.catalogType} catalog, not an object catalog.${hint}`,
  );
}

/**
 * Opens what a crossmatch needs on one side: an object (or source) catalog plus its margin.
 * For a collection: its main catalog and its default margin (or the named one, or a margin at a
 * path); for a plain catalog: itself and the margin at `options.margin`, if given.
 */
export async function openObjectCatalog(
  location: string | ByteStore,
  options: ObjectCatalogOptions = {},
): Promise<{ catalog: HatsCatalog; margin?: HatsCatalog }> {
  const opened = await openHats(location);
  const catalog = opened.kind === 'collection' ? opened.main : opened;
  checkObjectCatalog(catalog);
  const wanted = options.margin;
  if (wanted === 'none') return { catalog };
  let margin: HatsCatalog | undefined;
  if (
    opened.kind === 'collection' &&
    (wanted === undefined || opened.marginNames.includes(wanted))
  ) {
    margin =
      wanted === undefined && !opened.defaultMarginName
        ? undefined
        : await opened.openMargin(wanted);
  } else if (wanted !== undefined) {
    margin = await openMarginAt(wanted, opened.kind === 'collection' ? opened.marginNames : []);
  }
  if (margin && margin.healpixColumn !== catalog.healpixColumn) {
    throw new HatsError(
      `${margin.location}: its spatial column ${margin.healpixColumn} differs from ${catalog.healpixColumn} of ${catalog.location}. ` +
        'Use the margin built for this catalog.',
    );
  }
  return { catalog, margin };
}

async function openMarginAt(path: string, names: string[]): Promise<HatsCatalog> {
  let opened: HatsCatalog | HatsCollection;
  try {
    opened = await openHats(path);
  } catch (err) {
    const message = (err as Error).message;
    // the reader's message names the path already; a sentence follows it when names are known
    const reason = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
    const known = names.length > 0 ? ` The collection's margins are: ${names.join(', ')}.` : '';
    throw new HatsError(`margin ${path}: ${known ? reason.replace(/\.?$/, '.') : reason}${known}`);
  }
  if (opened.kind !== 'catalog' || opened.properties.catalogType !== 'margin') {
    const what =
      opened.kind === 'catalog' ? `a ${opened.properties.catalogType} catalog` : 'a collection';
    throw new HatsError(
      `${opened.location} is ${what}, not a margin catalog (dataproduct_type=margin). Give a margin catalog.`,
    );
  }
  return opened;
}
