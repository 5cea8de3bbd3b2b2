// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationReportView } from '../../renderer/components/catalogs/validation-report';
import type { ValidationReport } from '../../preload/api';

afterEach(cleanup);

const report = (rowsValid: number, rowsRead: number): ValidationReport => ({
  ok: rowsValid === rowsRead && rowsRead > 0,
  rowsRead,
  rowsValid,
  issues:
    rowsValid < rowsRead
      ? [{ severity: 'error', message: 'line 3: z is not a number', count: rowsRead - rowsValid }]
      : [],
});

describe('the validation report', () => {
  it('before registering: whether the file can be registered', () => {
    render(<ValidationReportView report={report(10, 12)} />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe(
      'The file cannot be registered as it is: 10 of 12 rows are valid.',
    );
    expect(status.className).toBe('alert error');
    // a named group around it (a name on a plain div is not given to screen readers)
    expect(screen.getByRole('group', { name: 'Validation report' }).contains(status)).toBe(true);
  });

  it('of a catalog registered with its valid rows: what was kept, not a refusal', () => {
    render(<ValidationReportView report={report(10, 12)} registered />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe(
      'Registered the 10 valid rows of 12; the others were left out:',
    );
    expect(status.className).toBe('alert warn');
    expect(screen.getByText(/line 3: z is not a number/)).toBeTruthy();
    cleanup();
    render(<ValidationReportView report={report(12, 12)} registered />);
    expect(screen.getByRole('status').textContent).toBe('Registered all 12 rows.');
  });

  it('of a file with a header and no rows: says so', () => {
    render(<ValidationReportView report={report(0, 0)} />);
    expect(screen.getByRole('status').textContent).toBe(
      'The file has no data rows: nothing to register.',
    );
  });
});
