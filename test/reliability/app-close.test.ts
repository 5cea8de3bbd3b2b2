/**
 * The app closed during a run: the web bridge (`node dist/web.js`, the same services as the
 * Electron shell) gets SIGTERM while a run is crossmatching. It must stop the run, remove what
 * the run had started to write, record the run as cancelled, and exit; after a restart the run
 * is listed as cancelled and the output folder holds nothing that looks finished.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../preload/api';
import { startBridge, stopBridges } from './bridge';
import { footerRange, hash, mutate } from './fuzz-tools';
import { TSM_EXAMPLE } from '../fixtures';
import {
  makeSyntheticCatalogs,
  prng,
  partialsUnder,
  tempDir,
  type SyntheticCatalogs,
} from './helpers';

const { dir, cleanup } = tempDir('tsm-rel-close-');
let cats: SyntheticCatalogs;
afterAll(() => {
  stopBridges();
  cleanup();
});

beforeAll(async () => {
  cats = await makeSyntheticCatalogs(dir, {
    photometricRows: 60_000,
    speczEvery: 10,
    partitionRows: 3_000,
    seed: 2,
  });
}, 120_000);

describe('closing the app during a run', () => {
  it('SIGTERM: the run is cancelled and cleaned up, recorded as cancelled, the bridge exits 0', async () => {
    const dataDir = join(dir, 'data');
    const out = join(dir, 'out');
    const bridge = await startBridge(dataDir);
    await bridge.call('updateSettings', [{ workers: 1 }]);
    const project = await bridge.call<Record<string, unknown>>('newProject', []);
    const record = await bridge.call<RunRecord>('startRun', [
      {
        ...project,
        name: 'closing',
        specz: { ...(project.specz as object), path: cats.specz, catalogId: null },
        photometry: {
          ...(project.photometry as object),
          location: cats.photometry,
          dereddening: { map: 'none', scale: 1 },
        },
        split: { ...(project.split as object), seed: 1 },
        // CSV: its rows are spilled to `<name>.csv.rows.partial` from the first pixel on, which
        // says the run is crossmatching (a Parquet output of these few rows is written at the
        // crossmatch's end: parquet-early-writer.ts)
        output: { format: 'csv', folder: out },
      },
    ]);
    // Wait until the run is crossmatching (its progress says so), then close the app.
    for (let k = 0; k < 300; k++) {
      const runs = await bridge.call<RunRecord[]>('listRuns', []);
      const run = runs.find((r) => r.id === record.id);
      if (run?.lastProgress?.stage === 'crossmatch' || partialsUnder(out).length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    bridge.child.kill('SIGTERM');
    expect(await bridge.exited).toBe(0);
    // Nothing that looks finished, nothing partial: the output folder the run made is gone again.
    expect(existsSync(out)).toBe(false);
    const again = await startBridge(dataDir);
    const runs = await again.call<RunRecord[]>('listRuns', []);
    expect(runs.find((r) => r.id === record.id)?.status).toBe('cancelled');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});

describe('a corrupt Parquet spec-z file given to the app', () => {
  // The fuzz suite's Parquet case 12 (seed 20261125): parquet-wasm, which read spec-z Parquet
  // before hyparquet, panicked on it outside any promise and killed the app's main process
  // (here the web bridge), which previews and validates spec-z files.
  it('previewSpecz answers with an error and the app keeps running', async () => {
    const base = readFileSync(join(TSM_EXAMPLE, 'specz.parquet'));
    const rand = prng(20261125 ^ hash('parquet'));
    let bytes: Uint8Array = base;
    for (let k = 0; k <= 12; k++) bytes = mutate(base, rand, footerRange(base));
    const bridge = await startBridge(join(dir, 'data-corrupt'));
    const path = await bridge.call<string>('uploadFile', ['corrupt.parquet', bytes]);
    const err = await bridge.call('previewSpecz', [path]).catch((e: unknown) => e);
    expect(String(err)).toContain(`${path}: cannot read the file (`);
    expect(await bridge.call('getAppInfo', [])).toMatchObject({ transport: 'web' });
    bridge.child.kill('SIGTERM');
  });
});
