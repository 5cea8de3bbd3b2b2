/**
 * True when no control has the focus: it was on one that went away or was disabled, or it is on
 * the page's own box (main), where the app puts it when a page opens (after Run, View results).
 */
export function focusLost(): boolean {
  const focused = document.activeElement;
  return (
    !focused ||
    focused === document.body ||
    !focused.isConnected ||
    (focused as HTMLButtonElement).disabled === true ||
    focused.tagName === 'MAIN'
  );
}
