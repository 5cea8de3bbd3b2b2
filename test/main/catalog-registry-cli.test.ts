import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../compute/cli/command';
import { registerCommand } from '../../compute/cli/register';
import { CatalogRegistry } from '../../main/catalog-registry';
import { createEngine } from '../../main/engine';
import { TSM_EXAMPLE } from '../fixtures';
import { useTempDir } from '../compute/io/helpers';

const tmp = useTempDir('tsm-registry-cli-');
const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');

function registryOf(dataDir: string): CatalogRegistry {
  const settings = async () => ({ dataDir, dustMapDir: '' });
  return new CatalogRegistry(async () => dataDir, createEngine(settings).catalogs);
}

/** `tsm register FILE --data-dir DIR ...`, as the command line runs it. */
async function tsmRegister(file: string, dataDir: string, ...flags: string[]): Promise<void> {
  const err: string[] = [];
  const io: CliIo = {
    out: () => undefined,
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    isTTY: false,
  };
  const existed = existsSync(dataDir);
  const code = await registerCommand.run(
    [file, '--data-dir', dataDir, '--progress', 'none', ...flags],
    io,
  );
  // a data folder made now is said once
  expect(err).toEqual(
    existed ? [] : [`tsm register: Made a new, empty data folder ${dataDir} (it did not exist).`],
  );
  expect(code).toBe(0);
}

const indexOf = (dataDir: string): { id: string }[] =>
  JSON.parse(readFileSync(join(dataDir, 'catalogs', 'index.json'), 'utf8')) as { id: string }[];

describe('spec-z catalogs registered by tsm register into the data folder', () => {
  it('are listed as the app describes its own registration of the same file, under the folder name', async () => {
    const data = join(tmp.dir, 'data');
    await tsmRegister(SPECZ, data, '--name', 'from_cli');
    const registry = registryOf(data);
    const listed = await registry.list();
    expect(listed.map((c) => [c.id, c.kind, c.name])).toEqual([['from_cli', 'specz', 'from_cli']]);
    const adopted = listed[0];
    const stored = JSON.parse(
      readFileSync(join(data, 'catalogs', 'from_cli', 'registration.json'), 'utf8'),
    ) as { registeredAt: string };
    expect(adopted).toMatchObject({
      location: join(data, 'catalogs', 'from_cli'),
      sourcePath: SPECZ,
      addedAt: stored.registeredAt,
      rowCount: 80,
      report: { ok: true, rowsRead: 80, rowsValid: 80 },
    });
    // the same file registered in the app: the same description (its id, name, date aside)
    const own = await registry.registerSpecz({
      path: SPECZ,
      mapping: adopted.sourceMapping!,
      name: 'in the app',
    });
    const comparable = (c: typeof own) => {
      const { id: _id, name: _name, addedAt: _at, location: _loc, ...rest } = c;
      return rest;
    };
    expect(comparable(adopted)).toEqual(comparable(own));
    expect(adopted.mapping).toMatchObject({ ra: 'ra', dec: 'dec', z: 'z' });
    // stored in the list: described once, and found by get as the wizard's project names it
    expect(indexOf(data).map((c) => c.id)).toEqual(['from_cli', 'in_the_app']);
    expect(await registry.get('from_cli')).toEqual(adopted);
  });

  it('are deleted with their stored copy and do not come back', async () => {
    const data = join(tmp.dir, 'data');
    await tsmRegister(SPECZ, data, '--name', 'gone');
    const registry = registryOf(data);
    expect((await registry.list()).map((c) => c.id)).toEqual(['gone']);
    await registry.delete('gone');
    expect(existsSync(join(data, 'catalogs', 'gone'))).toBe(false);
    expect(await registry.list()).toEqual([]);
    expect(indexOf(data)).toEqual([]);
    // the name is free again for either side
    await tsmRegister(SPECZ, data, '--name', 'gone');
    expect((await registry.list()).map((c) => c.id)).toEqual(['gone']);
  });

  it('lists an unreadable stored folder with what is wrong, and never stores or deletes it', async () => {
    const data = join(tmp.dir, 'data');
    await tsmRegister(SPECZ, data, '--name', 'good');
    const broken = join(data, 'catalogs', 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'registration.json'), '{"registeredAt": ');
    // a registration with no catalog beside it (its HATS files deleted by hand)
    const empty = join(data, 'catalogs', 'no_hats');
    mkdirSync(empty);
    writeFileSync(
      join(empty, 'registration.json'),
      readFileSync(join(data, 'catalogs', 'good', 'registration.json')),
    );
    // a folder of the user's without a registration: not a catalog, not listed
    mkdirSync(join(data, 'catalogs', 'notes'));
    const registry = registryOf(data);
    const listed = await registry.list();
    expect(listed.map((c) => [c.id, c.problem === undefined])).toEqual([
      ['good', true],
      ['broken', false],
      ['no_hats', false],
    ]);
    expect(listed[1].problem).toContain(`${join(broken, 'registration.json')} is not valid JSON`);
    expect(listed[1].problem).toMatch(/move the folder out of/);
    expect(listed[2].problem).toContain(empty);
    expect(indexOf(data).map((c) => c.id)).toEqual(['good']);
    await expect(registry.delete('broken')).rejects.toThrow(
      `${broken} cannot be read as a registered catalog, so the app does not delete it: move or delete the folder yourself.`,
    );
    expect(existsSync(join(broken, 'registration.json'))).toBe(true);
    expect(existsSync(join(empty, 'registration.json'))).toBe(true);
  });

  it('refuses a registration.json that is not what tsm register writes, naming the field', async () => {
    const data = join(tmp.dir, 'data');
    await tsmRegister(SPECZ, data, '--name', 'edited');
    const file = join(data, 'catalogs', 'edited', 'registration.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { report: { mapping: object } };
    writeFileSync(file, JSON.stringify({ ...doc, report: { ...doc.report, mapping: { ra: 1 } } }));
    const [listed] = await registryOf(data).list();
    expect(listed.problem).toContain(
      `${file} is not a registration tsm register writes (report.mapping is missing or of the wrong type)`,
    );
  });
});
