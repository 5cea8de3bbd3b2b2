import type { ValidationReport } from '../../../preload/api';
import { fmtInt } from '../format';

/** The report's first line: before registering, or (`registered`) of a registered catalog. */
function headline(report: ValidationReport, registered: boolean): string {
  const valid = fmtInt(report.rowsValid);
  const read = fmtInt(report.rowsRead);
  if (report.rowsRead === 0) return 'The file has no data rows: nothing to register.';
  if (registered) {
    return report.rowsValid === report.rowsRead
      ? `Registered all ${read} rows.`
      : `Registered the ${valid} valid rows of ${read}; the others were left out:`;
  }
  return report.ok
    ? `The file can be registered: ${valid} of ${read} rows are valid.`
    : `The file cannot be registered as it is: ${valid} of ${read} rows are valid.`;
}

/**
 * The engine's validation report: counts and every issue in the engine's words. `registered`:
 * the report of a catalog already registered (its valid rows were kept), not a verdict to come.
 */
export function ValidationReportView({
  report,
  registered = false,
}: {
  report: ValidationReport;
  registered?: boolean;
}) {
  const tone = report.ok || (registered && report.rowsValid > 0) ? 'ok' : 'error';
  return (
    // a group: a name on a plain div is not given to screen readers
    <div role="group" aria-label="Validation report">
      <div className={`alert ${tone === 'ok' && !report.ok ? 'warn' : tone}`} role="status">
        {headline(report, registered)}
      </div>
      {report.issues.length > 0 && (
        <ul className="issues">
          {report.issues.map((issue, i) => (
            <li key={i} className={issue.severity}>
              <strong>{issue.severity === 'error' ? 'Error' : 'Warning'}:</strong> {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
