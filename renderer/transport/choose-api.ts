import type { TsmApi } from '../../preload/api';
import { createWebApi } from './web-api';

declare global {
  interface Window {
    /** Set by the Electron preload (preload/preload.ts); absent in a plain browser. */
    tsm?: TsmApi;
  }
}

/**
 * The TsmApi of this page: the preload's in Electron, else the web bridge at this origin with the
 * token from the address (`?token=`), kept in sessionStorage so a reload keeps working.
 * The only place that reads `window.tsm`.
 */
export function chooseApi(): TsmApi {
  if (window.tsm) return window.tsm;
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('tsm-token', fromUrl);
    // the token leaves the address; where the page is (#/...) stays
    window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  }
  const token = fromUrl ?? sessionStorage.getItem('tsm-token') ?? '';
  return createWebApi(window.location.origin, token);
}
