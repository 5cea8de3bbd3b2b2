import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file lives in test/). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Shared read-only test data: `../shared/fixtures/` beside the checkout (see its README). */
export const FIXTURES = resolve(PROJECT_ROOT, '..', 'shared', 'fixtures');
export const LSDB_DATA = join(FIXTURES, 'lsdb-tests', 'tests', 'data');
export const HATS_DATA = join(FIXTURES, 'hats-tests', 'tests', 'data');
export const DUST = join(FIXTURES, 'dust');
export const TSM_EXAMPLE = join(FIXTURES, 'tsm-example', 'data-example');
