import type { KeyboardEvent } from 'react';

/**
 * A form's onKeyDown that does `cancel` on Escape, as its Cancel button does, unless a control
 * inside took the key first (a select's list, a disclosure).
 */
export function onEscape(cancel: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    cancel();
  };
}
