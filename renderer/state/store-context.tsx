import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { TsmState, TsmStore } from './store';

const StoreContext = createContext<{ store: TsmStore } | null>(null);

export function TsmStoreProvider(props: { store: TsmStore; children: ReactNode }) {
  return (
    <StoreContext.Provider value={{ store: props.store }}>{props.children}</StoreContext.Provider>
  );
}

/** A narrow selector on the store (zustand: select the smallest slice a component needs). */
export function useTsm<T>(selector: (state: TsmState) => T): T {
  const ctx = useContext(StoreContext);
  if (!ctx) throw new Error('useTsm must be used inside <TsmStoreProvider>');
  return useStore(ctx.store, selector);
}

/** The store object itself, for actions in event handlers (`store.getState().navigate(...)`). */
export function useTsmStore(): TsmStore {
  const ctx = useContext(StoreContext);
  if (!ctx) throw new Error('useTsmStore must be used inside <TsmStoreProvider>');
  return ctx.store;
}
