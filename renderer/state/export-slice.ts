import type { ExportTarget, ExportWritten } from '../../preload/api';
import { messageOf, type SliceCreator } from './types';

export interface ExportSlice {
  /** Files written per target by the last export ("Run on a cluster..."). */
  exports: Partial<Record<ExportTarget, ExportWritten>>;
  exportError: string | null;
  /** The target being written, null when idle. */
  exportBusy: ExportTarget | null;
  /** Writes the current draft for `target` into `folder`; resolves what was written. */
  exportDraft(target: ExportTarget, folder: string): Promise<ExportWritten | null>;
  /** The native folder dialog (null when cancelled or in a browser). */
  pickExportFolder(): Promise<string | null>;
}

export const createExportSlice: SliceCreator<ExportSlice> = (api) => (set, get) => ({
  exports: {},
  exportError: null,
  exportBusy: null,
  exportDraft: async (target, folder) => {
    const draft = get().draft;
    if (!draft) return null;
    if (!folder.trim()) {
      set({ exportError: 'Give the folder the exported files go to.' });
      return null;
    }
    set({ exportBusy: target, exportError: null });
    try {
      const written = await api.exportProject(draft, target, folder.trim());
      set({ exports: { ...get().exports, [target]: written }, exportBusy: null });
      return written;
    } catch (err) {
      // what an earlier export wrote is not this one's result: only the error stays
      set({ exportError: messageOf(err), exportBusy: null, exports: {} });
      return null;
    }
  },
  pickExportFolder: async () => {
    try {
      return await api.pickPath('exportFolder');
    } catch (err) {
      set({ exportError: messageOf(err) });
      return null;
    }
  },
});
