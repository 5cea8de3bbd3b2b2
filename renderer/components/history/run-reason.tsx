import type { RunRecord } from '../../../preload/api';
import { useTsmStore } from '../../state/store-context';
import { ErrorWords, errorText } from '../error-words';

/** Reasons up to this length are shown whole; longer ones open from their first words. */
export const SHORT_REASON_CHARS = 90;

/**
 * Why a run did not finish, as the history shows it, or which other process runs it (the app, a
 * web bridge or `tsm run` on the same data folder); null for a run that finished or runs here.
 */
export function runReason(run: RunRecord): string | null {
  if (run.status === 'running') return run.runningElsewhere ?? null;
  if (run.status === 'failed') return run.error ?? 'The run failed without a message.';
  if (run.status === 'cancelled') {
    // a cancel by the user has no reason; one by the app's closing has (run-manager.ts)
    return `${run.error ?? 'Cancelled'}; no output file was left behind.`;
  }
  return null;
}

/** The first words of a long reason, cut at a space, with an ellipsis. */
export function reasonExcerpt(reason: string): string {
  const head = reason.slice(0, SHORT_REASON_CHARS);
  const space = head.lastIndexOf(' ');
  return `${(space > SHORT_REASON_CHARS / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/**
 * The reason of a failed or cancelled run, in its row under the status (not in a hover tooltip,
 * which keyboards and screen readers cannot reach): whole when short, else its first words as a
 * Details disclosure that opens on the whole message.
 */
export function RunReason({ run }: { run: RunRecord }) {
  const store = useTsmStore();
  const reason = runReason(run);
  if (!reason) return null;
  // a reason written after a project field (`specz.catalogId: ...`, as record.json keeps it) in
  // the form's words, with the way to the step that sets that field
  const words = (
    <ErrorWords error={reason} onChange={(step) => void store.getState().rerun(run, step)} />
  );
  const text = errorText(reason);
  // a paragraph, or a list of its lines (a list cannot be in a paragraph)
  const Block = reason.includes('\n') ? 'div' : 'p';
  if (text.length <= SHORT_REASON_CHARS) return <Block className="run-reason">{words}</Block>;
  return (
    <details className="run-reason">
      <summary>
        <span className="reason-excerpt">{reasonExcerpt(text)}</span>
        <span className="reason-hide">Hide the reason</span>
      </summary>
      <Block>{words}</Block>
    </details>
  );
}
