import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixture-server';

export interface ServedFixtures {
  /** The server of the shared fixtures, started before the file's tests. */
  readonly server: FixtureServer;
  /** A cache folder no session has used yet, under a temp folder of the file's own. */
  newCacheDir(): string;
}

/**
 * Serves the shared fixtures over HTTP for the tests of the file that calls it (at its top
 * level): starts the server before them, and stops it and deletes the cache folders after them;
 * each test starts with an empty request log and no faults.
 */
export function serveFixtures(cachePrefix: string): ServedFixtures {
  let server: FixtureServer | undefined;
  let cacheRoot: string | undefined;
  let caches = 0;
  beforeAll(async () => {
    server = await startFixtureServer();
    cacheRoot = await mkdtemp(join(tmpdir(), cachePrefix));
  });
  afterAll(async () => {
    await server?.close();
    if (cacheRoot) await rm(cacheRoot, { recursive: true, force: true });
  });
  beforeEach(() => {
    server!.log.length = 0;
    server!.faults = {};
  });
  return {
    get server() {
      if (!server) throw new Error('serveFixtures: the server starts in beforeAll');
      return server;
    },
    newCacheDir: () => {
      if (!cacheRoot) throw new Error('serveFixtures: the cache folder is made in beforeAll');
      return join(cacheRoot, `c${caches++}`);
    },
  };
}
