import { useEffect, useRef } from 'react';
import { useTsm, useTsmStore } from '../state/store-context';
import type { Page } from '../state/app-slice';
import { CatalogsPage } from './catalogs/catalogs-page';
import { WizardPage } from './wizard/wizard-page';
import { RunPage } from './run/run-page';
import { ResultsPage } from './results/results-page';
import { HistoryPage } from './history/history-page';
import { SettingsPage } from './settings/settings-page';
import { AboutDialog } from './about-dialog';
import { NotFoundPage } from './not-found-page';
import { ErrorBoundary } from './error-boundary';

const NAV: { page: Page; label: string }[] = [
  { page: 'catalogs', label: 'Catalogs' },
  { page: 'wizard', label: 'New training set' },
  { page: 'run', label: 'Current run' },
  { page: 'history', label: 'Runs' },
  { page: 'settings', label: 'Settings' },
];

function CurrentPage({ page }: { page: Page }) {
  switch (page) {
    case 'catalogs':
      return <CatalogsPage />;
    case 'wizard':
      return <WizardPage />;
    case 'run':
      return <RunPage />;
    case 'results':
      return <ResultsPage />;
    case 'history':
      return <HistoryPage />;
    case 'settings':
      return <SettingsPage />;
    case 'missing':
      return <NotFoundPage />;
  }
}

/** The window: sidebar navigation on the left, the current page on the right. */
export function App() {
  const store = useTsmStore();
  const page = useTsm((s) => s.page);
  const hasRun = useTsm((s) => s.currentRun !== null);
  const info = useTsm((s) => s.info);
  const initError = useTsm((s) => s.initError);
  const notice = useTsm((s) => s.notice);
  const aboutOpen = useTsm((s) => s.aboutOpen);
  const active: Page = page === 'results' ? 'history' : page;
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    // a page opened by a button the page change removed (Run, Results, Re-run) left the focus on
    // nothing: keyboard users start again from the top of the new page, not of the window
    const focused = document.activeElement;
    if (!focused || focused === document.body || !focused.isConnected) main.current?.focus();
  }, [page]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          Training Set Maker
          <small>photo-z training sets</small>
        </div>
        {NAV.filter((n) => n.page !== 'run' || hasRun).map((n) => (
          <button
            key={n.page}
            type="button"
            className="nav-item"
            aria-current={active === n.page ? 'page' : undefined}
            onClick={() => store.getState().navigate(n.page)}
          >
            {n.label}
          </button>
        ))}
        <div className="spacer" />
        <button
          type="button"
          className="nav-item"
          onClick={() => store.getState().setAboutOpen(true)}
        >
          About
        </button>
        <div className="foot">{info ? `v${info.version} · ${info.transport}` : ''}</div>
      </nav>
      <main className="content" ref={main} tabIndex={-1}>
        {initError ? (
          <div className="alert error" role="alert">
            {initError}
          </div>
        ) : (
          <ErrorBoundary what="This page" resetKey={page}>
            <CurrentPage page={page} />
          </ErrorBoundary>
        )}
      </main>
      {notice && (
        <div className="status-line" role="status">
          {notice}
        </div>
      )}
      {aboutOpen && <AboutDialog />}
    </div>
  );
}
