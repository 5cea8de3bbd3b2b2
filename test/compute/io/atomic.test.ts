import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitPartial, partialPath, removeStalePartials } from '../../../compute/io/atomic';
import { writeConfigYml, writeRunJson } from '../../../compute/io/run-files';
import { useTempDir } from './helpers';

const tmp = useTempDir();

describe('atomic output helpers', () => {
  it('writes config.yml (YAML text as given, objects serialised) and run.json, no partials left', async () => {
    await writeConfigYml(tmp.dir, 'name: my set  # comment kept\nradius_arcsec: 1.0\n');
    await writeRunJson(tmp.dir, { seed: 7, rows: 12 });
    expect(readFileSync(join(tmp.dir, 'config.yml'), 'utf8')).toBe(
      'name: my set  # comment kept\nradius_arcsec: 1.0\n',
    );
    expect(JSON.parse(readFileSync(join(tmp.dir, 'run.json'), 'utf8'))).toEqual({
      seed: 7,
      rows: 12,
    });
    await writeConfigYml(tmp.dir, { inputs: { specz: 'a.csv' } });
    expect(readFileSync(join(tmp.dir, 'config.yml'), 'utf8')).toBe('inputs:\n  specz: a.csv\n');
    expect(readdirSync(tmp.dir).sort()).toEqual(['config.yml', 'run.json']);
  });

  it('replaces an existing output folder on commit', async () => {
    const final = join(tmp.dir, 'out.hats');
    mkdirSync(final);
    writeFileSync(join(final, 'old'), 'x');
    mkdirSync(partialPath(final));
    writeFileSync(join(partialPath(final), 'new'), 'y');
    await commitPartial(final);
    expect(readdirSync(final)).toEqual(['new']);
    expect(readdirSync(tmp.dir)).toEqual(['out.hats']);
  });

  it('removes what a crashed writer left', async () => {
    writeFileSync(join(tmp.dir, 'ts.parquet.partial'), '');
    mkdirSync(join(tmp.dir, 'ts.fits.partial.tmp'));
    writeFileSync(join(tmp.dir, 'keep.csv'), '');
    expect((await removeStalePartials(tmp.dir)).sort()).toEqual([
      'ts.fits.partial.tmp',
      'ts.parquet.partial',
    ]);
    expect(readdirSync(tmp.dir)).toEqual(['keep.csv']);
  });
});
