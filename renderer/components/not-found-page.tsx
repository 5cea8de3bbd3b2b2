import { useTsm, useTsmStore } from '../state/store-context';

/** The addresses of the pages, as the "no such page" page lists them. */
const ADDRESSES: { hash: string; label: string }[] = [
  { hash: '#/catalogs', label: 'Catalogs' },
  { hash: '#/wizard', label: 'New training set' },
  { hash: '#/runs', label: 'Runs' },
  { hash: '#/settings', label: 'Settings' },
];

/**
 * "No such page": the address typed or bookmarked names no page of the app (it showed the
 * Catalogs page without a word, or stayed where it was); says so, with the way to the pages.
 */
export function NotFoundPage() {
  const store = useTsmStore();
  const address = useTsm((s) => s.missingAddress);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>No such page</h1>
          <p className="lead">
            The address <span className="mono">{address}</span> is not a page of Training Set Maker.
            Check what follows the # in the address, or go to a page from the menu.
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="btn primary"
            onClick={() => store.getState().navigate('catalogs')}
          >
            Go to Catalogs
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => store.getState().navigate('history')}
          >
            Go to Runs
          </button>
        </div>
      </div>
      <section className="panel">
        <h2>The pages&apos; addresses</h2>
        <ul>
          {ADDRESSES.map((a) => (
            <li key={a.hash}>
              <a href={a.hash}>{a.label}</a> <span className="mono muted">{a.hash}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
