import { join } from 'node:path';
import type { Settings } from '../preload/api';
import { CatalogRegistry, type CatalogEngine } from './catalog-registry';
import { ProjectFiles } from './project-files';
import { RunManager, type RunEngine } from './run-manager';
import { SettingsStore } from './settings-store';
import {
  createTsmService,
  type EmitFn,
  type Host,
  type ResultsEngine,
  type TsmBackend,
} from './tsm-service';

export interface BackendOptions {
  /** Folder for settings.json and recent.json. */
  configDir: string;
  /** Defaults for a first launch (dataDir at least). */
  defaults: Settings;
  host: Host;
  engine: { catalogs: CatalogEngine; run: RunEngine; results: ResultsEngine };
}

/** Builds the services shared by the Electron shell and the web bridge. */
export function createBackend(options: BackendOptions): TsmBackend {
  const sinks = new Set<EmitFn>();
  const emit: EmitFn = (event, payload) => {
    for (const sink of sinks) sink(event, payload);
  };
  const settings = new SettingsStore(join(options.configDir, 'settings.json'), options.defaults);
  // checked on each use: a data folder gone (deleted, its disk unmounted) is said, not made again
  const dataDir = async () => (await settings.checked()).dataDir;
  const catalogs = new CatalogRegistry(dataDir, options.engine.catalogs, (requestId, progress) =>
    emit('catalogProgress', { requestId, progress }),
  );
  const projects = new ProjectFiles(join(options.configDir, 'recent.json'), async () =>
    join(await dataDir(), 'draft.tsm.json'),
  );
  const runs = new RunManager(() => settings.checked(), options.engine.run, {
    runProgress: (runId, progress) => emit('runProgress', { runId, progress }),
    runFinished: (record) => emit('runFinished', record),
  });
  const service = createTsmService({
    host: options.host,
    settings,
    catalogs,
    projects,
    runs,
    results: options.engine.results,
    qaProgress: (runId, fraction) => emit('qaProgress', { runId, fraction }),
  });
  return {
    service,
    runs,
    settings,
    projects,
    emit,
    addSink(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
}
