/** True when no control has the focus (it was on one that went away or was disabled). */
export function focusLost(): boolean {
  const focused = document.activeElement;
  return (
    !focused ||
    focused === document.body ||
    !focused.isConnected ||
    (focused as HTMLButtonElement).disabled === true
  );
}
