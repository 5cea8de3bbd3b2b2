import { RunWarningText, warningCount } from '../results/run-warnings';

/**
 * A finished run's warnings in its row: "N warnings" opens on their text (a Details disclosure
 * the keyboard reaches; the text was in a hover tooltip), each in the scientist's words.
 */
export function RunWarningsNote({ warnings }: { warnings?: string[] }) {
  const count = warningCount(warnings);
  if (!count) return null;
  return (
    <details className="run-reason run-warnings">
      <summary>
        <span className="badge warn">{count}</span>
      </summary>
      <ul>
        {warnings!.map((w, i) => (
          <li key={i}>
            <RunWarningText warning={w} />
          </li>
        ))}
      </ul>
    </details>
  );
}
