/**
 * The warnings of a finished run (RunRecord.warnings: the engine's run.json `warnings`, e.g. that
 * nothing matched so the training set is empty), in the engine's words, in one warning box.
 */
export function RunWarnings({ warnings }: { warnings?: string[] }) {
  if (!warnings || warnings.length === 0) return null;
  const title =
    warnings.length === 1
      ? 'The run finished with a warning'
      : `The run finished with ${warnings.length} warnings`;
  return (
    <div className="alert warn run-warnings" role="alert" aria-label="Run warnings">
      <strong>{title}</strong>
      {warnings.length === 1 ? (
        <p>{warnings[0]}</p>
      ) : (
        <ul>
          {warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "1 warning" / "3 warnings": the history's mark of a run that finished with warnings. */
export function warningCount(warnings?: string[]): string | null {
  const n = warnings?.length ?? 0;
  return n === 0 ? null : n === 1 ? '1 warning' : `${n} warnings`;
}
