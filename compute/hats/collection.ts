import type { ByteStore } from './byte-source';
import { HatsCatalog } from './catalog';
import { HatsError, joinLocation } from './errors';
import {
  detectPropertiesFile,
  parseCollectionProperties,
  readPropertiesText,
  type CollectionProperties,
} from './properties';

/**
 * A HATS collection: a folder with `collection.properties`, a main catalog, its margins and
 * indexes as sub-folders (`hats:src/hats/catalog/catalog_collection.py`).
 */
export class HatsCollection {
  readonly kind = 'collection' as const;

  private constructor(
    readonly store: ByteStore,
    readonly properties: CollectionProperties,
    readonly main: HatsCatalog,
  ) {}

  static async open(store: ByteStore): Promise<HatsCollection> {
    const file = joinLocation(store.root, 'collection.properties');
    const properties = parseCollectionProperties(
      await readPropertiesText(store, 'collection.properties'),
      file,
    );
    const main = await openMember(
      store,
      properties.primaryTableUrl,
      `${file} (hats_primary_table_url)`,
    );
    return new HatsCollection(store, properties, main);
  }

  get name(): string {
    return this.properties.name;
  }
  get location(): string {
    return this.store.root;
  }
  /** `default_margin`, if the collection has one. */
  get defaultMarginName(): string | undefined {
    return this.properties.defaultMargin;
  }
  /** `all_margins`. */
  get marginNames(): string[] {
    return this.properties.allMargins;
  }

  /** Opens a margin by name (one of `marginNames`), or the default margin when no name is given. */
  async openMargin(name?: string): Promise<HatsCatalog> {
    const wanted = name ?? this.defaultMarginName;
    const file = joinLocation(this.store.root, 'collection.properties');
    if (wanted === undefined) {
      throw new HatsError(
        `${file}: the collection has no default_margin. Name a margin (${this.listMargins()}).`,
      );
    }
    if (!this.marginNames.includes(wanted)) {
      throw new HatsError(
        `${file}: the collection has no margin named ${wanted}. Its margins: ${this.listMargins()}.`,
      );
    }
    const margin = await openMember(this.store, wanted, `${file} (all_margins)`);
    if (margin.properties.catalogType !== 'margin') {
      throw new HatsError(
        `${margin.location}: listed as a margin in ${file} but its dataproduct_type is ${margin.properties.catalogType}.`,
      );
    }
    return margin;
  }

  private listMargins(): string {
    return this.marginNames.length > 0 ? this.marginNames.join(', ') : 'none';
  }
}

async function openMember(
  store: ByteStore,
  folder: string,
  listedIn: string,
): Promise<HatsCatalog> {
  const child = store.child(folder);
  const found = await detectPropertiesFile(child);
  if (!found || found.kind !== 'catalog') {
    throw new HatsError(
      `${child.root}: no hats.properties or properties file, but ${listedIn} names this folder. ` +
        'Fix collection.properties or re-download the collection.',
    );
  }
  return HatsCatalog.open(child, found.file);
}
