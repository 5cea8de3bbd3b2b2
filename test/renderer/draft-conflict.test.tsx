// @vitest-environment jsdom
/**
 * Two windows editing one draft: each autosave wrote over the other's without a word (the last
 * one won). A window now saves only over the draft it loaded or saved; when another window saved
 * since, it says so and lets the user choose which draft to keep.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WizardPage } from '../../renderer/components/wizard/wizard-page';
import { createTsmStore, type TsmStore } from '../../renderer/state/store';
import { TsmStoreProvider } from '../../renderer/state/store-context';
import { FakeApi } from './fake-api';

let api: FakeApi;
let a: TsmStore;
let b: TsmStore;

/** Two windows over one app (one FakeApi), both opened on the same saved draft. */
beforeEach(async () => {
  api = new FakeApi();
  api.drafts = [
    {
      project: { ...(await api.newProject()), name: 'shared' },
      projectPath: null,
      revision: 'rev-0',
    },
  ];
  a = createTsmStore(api);
  b = createTsmStore(api);
  await a.getState().init();
  await b.getState().init();
});
afterEach(cleanup);

const names = () => api.drafts.map((d) => d.project.name);

describe('two windows editing one draft', () => {
  it("does not save over the other window's draft, and says so", async () => {
    await a.getState().setField('name', 'from A');
    await a.getState().flushDraft();
    await b.getState().setField('name', 'from B');
    await b.getState().flushDraft();
    // B's autosave replaced A's: ['shared', 'from A', 'from B']
    expect(names()).toEqual(['shared', 'from A']);
    expect(b.getState().draftConflict?.project.name).toBe('from A');
    // nothing more is sent while the choice is open
    await b.getState().setField('name', 'from B, again');
    await b.getState().flushDraft();
    expect(names()).toEqual(['shared', 'from A']);
    // A, whose save was the last, goes on saving
    await a.getState().setField('description', 'A goes on');
    await a.getState().flushDraft();
    expect(names()).toEqual(['shared', 'from A', 'from A']);
  });

  it("loads the other window's draft, then saves its own edits over it", async () => {
    await a.getState().setField('name', 'from A');
    await a.getState().flushDraft();
    await b.getState().setField('name', 'from B');
    await b.getState().flushDraft();
    await b.getState().takeOtherDraft();
    expect(b.getState().draft?.name).toBe('from A');
    expect(b.getState().draftConflict).toBeNull();
    await b.getState().setField('description', 'B on top of A');
    await b.getState().flushDraft();
    expect(api.drafts.at(-1)?.project).toMatchObject({
      name: 'from A',
      description: 'B on top of A',
    });
  });

  it("keeps this window's draft over the other's when asked", async () => {
    await a.getState().setField('name', 'from A');
    await a.getState().flushDraft();
    await b.getState().setField('name', 'from B');
    await b.getState().flushDraft();
    await b.getState().keepThisDraft();
    expect(names()).toEqual(['shared', 'from A', 'from B']);
    expect(b.getState().draftConflict).toBeNull();
    expect(b.getState().wizardNotice).toBe("This window's draft is saved over the other window's.");
    // now A is the one behind
    await a.getState().setField('description', 'A again');
    await a.getState().flushDraft();
    expect(a.getState().draftConflict?.project.name).toBe('from B');
  });

  it('shows the choice on the wizard page, and its buttons act', async () => {
    await a.getState().setField('name', 'from A');
    await a.getState().flushDraft();
    render(
      <TsmStoreProvider store={b}>
        <WizardPage />
      </TsmStoreProvider>,
    );
    await act(() => b.getState().setField('name', 'from B'));
    await act(() => b.getState().flushDraft());
    const alert = screen.getByRole('alert', { name: 'Draft changed in another window' });
    expect(alert.textContent).toBe(
      "Another window saved this draft after this one loaded it (its training set: 'from A'), so the changes made here are not saved. Choose the draft to keep: Load the other window's Keep this window's",
    );
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: "Load the other window's" })),
    );
    expect(screen.queryByRole('alert', { name: 'Draft changed in another window' })).toBeNull();
    expect(screen.getByLabelText(/1\. Training set name/)).toHaveProperty('value', 'from A');
  });
});
