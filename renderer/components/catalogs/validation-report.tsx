import type { ValidationReport } from '../../../preload/api';
import { fmtInt } from '../format';

/** The engine's validation report: counts and every issue in the engine's words. */
export function ValidationReportView({ report }: { report: ValidationReport }) {
  return (
    <div aria-label="Validation report">
      <div className={`alert ${report.ok ? 'ok' : 'error'}`} role="status">
        {report.ok
          ? `The file can be registered: ${fmtInt(report.rowsValid)} of ${fmtInt(report.rowsRead)} rows are valid.`
          : `The file cannot be registered as it is: ${fmtInt(report.rowsValid)} of ${fmtInt(report.rowsRead)} rows are valid.`}
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
