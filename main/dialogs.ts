import { dialog, type BrowserWindow } from 'electron';
import type { PickKind } from '../preload/api';

const SPECZ_EXTENSIONS = ['csv', 'txt', 'dat', 'parquet', 'pq', 'fits', 'fit', 'hdf5', 'h5', 'hf5'];

/** Native open/save dialogs behind TsmApi.pickPath. Resolves null when cancelled. */
export async function pickPath(win: BrowserWindow | null, kind: PickKind): Promise<string | null> {
  if (!win) return null;
  if (kind === 'saveProject') {
    const result = await dialog.showSaveDialog(win, {
      title: 'Save project',
      filters: [{ name: 'Training Set Maker project', extensions: ['tsm.json'] }],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  }
  const options =
    kind === 'catalogFolder'
      ? { title: 'HATS catalog folder', properties: ['openDirectory' as const] }
      : kind === 'exportFolder'
        ? {
            title: 'Folder for the exported job',
            properties: ['openDirectory' as const, 'createDirectory' as const],
          }
        : kind === 'projectFile'
          ? {
              title: 'Open project',
              properties: ['openFile' as const],
              filters: [{ name: 'Project', extensions: ['json', 'yml', 'yaml'] }],
            }
          : {
              title: 'Spec-z file',
              properties: ['openFile' as const],
              filters: [{ name: 'Spec-z table', extensions: SPECZ_EXTENSIONS }],
            };
  const result = await dialog.showOpenDialog(win, options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}
