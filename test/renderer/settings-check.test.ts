import { describe, expect, it } from 'vitest';
import { settingsProblem } from '../../renderer/state/settings-check';

describe('settingsProblem', () => {
  it('says in words what is wrong with the numbers, before anything is sent', () => {
    expect(settingsProblem({ workers: 0 })).toBe(
      'Worker threads must be a whole number from 1 to 64, or empty to choose per run (got 0).',
    );
    expect(settingsProblem({ workers: 1.5 })).toMatch(/got 1\.5/);
    expect(settingsProblem({ workers: 1000 })).toMatch(/from 1 to 64/);
    expect(settingsProblem({ cacheSizeMb: -5 })).toBe(
      'The cache size must be a whole number of MB from 0 to 1000000 (0: the default) (got -5).',
    );
    expect(settingsProblem({ dataDir: '  ' })).toBe('The data folder must not be empty.');
    // text the form could not read as a number is named as typed
    expect(settingsProblem({ workers: '1e309' })).toMatch(/\(got 1e309\)\.$/);
    expect(settingsProblem({ cacheSizeMb: '-' })).toMatch(/\(got -\)\.$/);
  });

  it('accepts what the main process accepts', () => {
    expect(settingsProblem({ workers: null, cacheSizeMb: 0, dataDir: '/d' })).toBeNull();
    expect(settingsProblem({ workers: 64, cacheSizeMb: 1_000_000 })).toBeNull();
  });
});

describe('settingsProblem of the stall timeout', () => {
  it('refuses what is no number of seconds above 0, at most a day, naming the field', () => {
    for (const bad of [0, -1, 86_401, Infinity, 'soon', '-']) {
      expect(settingsProblem({ stallSeconds: bad })).toBe(
        `The stall timeout for remote catalogs must be a number of seconds above 0, at most 86400, or empty for the default (got ${bad}).`,
      );
    }
  });

  it('accepts seconds (decimals too) and null, the default', () => {
    for (const ok of [null, 0.2, 30, 86_400])
      expect(settingsProblem({ stallSeconds: ok })).toBeNull();
  });
});
