import type { StateCreator } from 'zustand/vanilla';
import type { TsmApi } from '../../preload/api';
import type { AppSlice } from './app-slice';
import type { CatalogsSlice } from './catalogs-slice';
import type { ExportSlice } from './export-slice';
import type { GenericSlice } from './generic-slice';
import type { HistorySlice } from './history-slice';
import type { RunSlice } from './run-slice';
import type { WizardSlice } from './wizard-slice';

export type TsmState = AppSlice &
  CatalogsSlice &
  GenericSlice &
  WizardSlice &
  ExportSlice &
  RunSlice &
  HistorySlice;

/** A slice creator: gets the API injected, sees the whole store. */
export type SliceCreator<S> = (api: TsmApi) => StateCreator<TsmState, [], [], S>;

/** The error text to show: the engine's own words. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
