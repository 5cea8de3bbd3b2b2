import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { keepPlaceInAddress } from './state/place';
import { createTsmStore } from './state/store';
import { TsmStoreProvider } from './state/store-context';
import { chooseApi } from './transport/choose-api';
import './styles.css';

const api = chooseApi();
const store = createTsmStore(api);
createRoot(document.getElementById('root')!).render(
  <TsmStoreProvider store={store}>
    <App />
  </TsmStoreProvider>,
);
// back where the page was before a reload (the address's #/...), then kept there as it changes
void store
  .getState()
  .init(window.location.hash)
  .then(() => keepPlaceInAddress(store, window));
// an edit made just before a reload or close is saved rather than lost to the autosave's delay
// and the plots still computed for the results page are not wanted any more
window.addEventListener('pagehide', () => {
  void store.getState().flushPendingDraft();
  store.getState().stopPlots();
});
// a page the browser kept in its back/forward cache comes back with its plots stopped by pagehide
window.addEventListener('pageshow', (event) => {
  if (event.persisted) store.getState().resumePlots();
});
