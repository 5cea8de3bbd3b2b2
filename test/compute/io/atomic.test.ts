import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commitPartial,
  partialPath,
  removeStalePartials,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../../compute/io/atomic';
import { useTempDir } from './helpers';

const tmp = useTempDir();

describe('atomic output helpers', () => {
  it('writes a text and a JSON file whole, replaces them, and leaves no partials', async () => {
    await writeFileAtomic(
      join(tmp.dir, 'config.yml'),
      'name: my set  # comment kept\nradius_arcsec: 1.0\n',
    );
    await writeJsonAtomic(join(tmp.dir, 'run.json'), { seed: 7, rows: 12 });
    expect(readFileSync(join(tmp.dir, 'config.yml'), 'utf8')).toBe(
      'name: my set  # comment kept\nradius_arcsec: 1.0\n',
    );
    expect(JSON.parse(readFileSync(join(tmp.dir, 'run.json'), 'utf8'))).toEqual({
      seed: 7,
      rows: 12,
    });
    await writeFileAtomic(join(tmp.dir, 'config.yml'), 'inputs:\n  specz: a.csv\n');
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

  it("removes what a crashed run of one output left, and nothing of another output's", async () => {
    for (const name of ['ts.parquet', 'ts.parquet.csv', 'other.parquet']) {
      writeFileSync(join(tmp.dir, name), '');
      writeFileSync(join(tmp.dir, `${name}.partial`), '');
      writeFileSync(join(tmp.dir, `${name}.rows.partial`), '');
      mkdirSync(join(tmp.dir, `${name}.partial.tmp`));
      mkdirSync(join(tmp.dir, `.${name}.old-0a1b2c3d`));
    }
    expect(
      (await removeStalePartials(join(tmp.dir, 'ts.parquet'), ['.rows.partial'])).sort(),
    ).toEqual([
      '.ts.parquet.old-0a1b2c3d',
      'ts.parquet.partial',
      'ts.parquet.partial.tmp',
      'ts.parquet.rows.partial',
    ]);
    const left = readdirSync(tmp.dir);
    expect(left.filter((n) => n.includes('ts.parquet') && !n.includes('.csv'))).toEqual([
      'ts.parquet',
    ]);
    expect(left.filter((n) => n.includes('other.parquet'))).toHaveLength(5);
    expect(left.filter((n) => n.includes('ts.parquet.csv'))).toHaveLength(5);
  });

  it('keeps a folder moved aside while the output is missing: it is the last finished copy', async () => {
    mkdirSync(join(tmp.dir, '.out.hats.old-0a1b2c3d'));
    mkdirSync(join(tmp.dir, 'out.hats.partial'));
    expect(await removeStalePartials(join(tmp.dir, 'out.hats'))).toEqual(['out.hats.partial']);
    expect(readdirSync(tmp.dir)).toEqual(['.out.hats.old-0a1b2c3d']);
  });

  it('a missing folder has nothing to remove', async () => {
    expect(await removeStalePartials(join(tmp.dir, 'nope', 'ts.parquet'))).toEqual([]);
  });
});
