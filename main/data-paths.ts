import { join } from 'node:path';

/** Where the app keeps its files inside the data folder. */
export function dataPaths(dataDir: string) {
  return {
    catalogs: join(dataDir, 'catalogs'),
    catalogIndex: join(dataDir, 'catalogs', 'index.json'),
    runs: join(dataDir, 'runs'),
    uploads: join(dataDir, 'uploads'),
    draft: join(dataDir, 'draft.tsm.json'),
    projects: join(dataDir, 'projects'),
  };
}

/** A name made safe for file names: accents stripped, separators and spaces turned into `_`. */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  return cleaned.slice(0, 80) || 'unnamed';
}

/** A sortable, unique-enough id: UTC timestamp plus a short random suffix. */
export function newId(prefix: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${prefix}-${stamp}-${Math.random().toString(36).slice(2, 7)}`;
}
