import type { Page } from 'playwright-core';

/** Goes to a page of the sidebar. */
export async function nav(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name, exact: true })
    .click();
}

/**
 * Registers a spec-z file through the Catalogs page: preview, name, check, Register; with
 * `confirm: false` it stops at the validation report.
 */
export async function registerSpecz(
  page: Page,
  path: string,
  name: string,
  { confirm = true } = {},
): Promise<void> {
  await nav(page, 'Catalogs');
  await page.getByRole('button', { name: 'Register redshift catalog' }).click();
  await page
    .getByLabel(
      'Spec-z catalog: a file (CSV, Parquet, FITS, HDF5), a HATS folder or its http(s) URL',
    )
    .fill(path);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByRole('table', { name: 'Preview of the file' }).waitFor();
  await page.getByLabel('Catalog name').fill(name);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByLabel('Validation report').waitFor();
  if (!confirm) return;
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

/** Adds a photometric HATS catalog (folder or URL) through the Catalogs page. */
export async function addPhotometric(page: Page, location: string, name: string): Promise<void> {
  await nav(page, 'Catalogs');
  await page.getByRole('button', { name: 'Add photometric catalog' }).click();
  await page.getByLabel(/HATS catalog or collection/).fill(location);
  await page.getByLabel('Name (optional)').fill(name);
  // Enter in a field adds it (a form)
  await page.getByLabel('Name (optional)').press('Enter');
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

/**
 * Fills the wizard for `speczName` x `photName` (an LSST DP1 catalog: cModel fluxes, SFD
 * low-res dereddening), radius `radiusArcsec`, seed 42, and stops on the summary.
 */
export async function fillWizard(
  page: Page,
  setName: string,
  speczName: string,
  photName: string,
  radiusArcsec: number,
  description?: string,
): Promise<void> {
  await nav(page, 'New training set');
  await page.getByRole('button', { name: 'Clear form' }).click();
  await page.getByText('New training set: every field has its default value.').waitFor();
  await page.getByLabel(/1\. Training set name/).fill(setName);
  if (description !== undefined) await page.getByLabel(/2\. Description/).fill(description);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel(speczName, { exact: true }).check();
  await page
    .getByLabel(/4\. Select the Objects catalog/)
    .selectOption({ label: `${photName} (LSST DP1)` });
  await page.getByLabel('Flux type:').selectOption('cmodel');
  await page.getByLabel(/Apply dereddening/).selectOption('sfd-lowres');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel(/threshold distance in arcseconds/).fill(String(radiusArcsec));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel(/Random seed/).fill('42');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
}
