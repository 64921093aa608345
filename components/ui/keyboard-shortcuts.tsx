"use client";

import { useEffect, useRef, useState } from "react";

const STORAGE_KEY = "accord.shortcuts";

/** Presses the button marked data-shortcut="key", so a key does exactly what the mouse does. */
export function pressShortcut(key: string) {
  (document.querySelector(`[data-shortcut="${key}"]`) as HTMLElement | null)?.click();
}

/**
 * Single-key shortcuts for a triage screen: ignored while typing or with a modifier, `?` toggles
 * the help, and the whole set can be turned off (WCAG 2.1.4), remembered in this browser.
 */
export function useKeyboardShortcuts(bindings: Record<string, () => void>) {
  const [enabled, setEnabled] = useState(true);
  const [help, setHelp] = useState(false);
  const latest = useRef(bindings);
  latest.current = bindings;

  useEffect(() => setEnabled(localStorage.getItem(STORAGE_KEY) !== "off"), []);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.ctrlKey || event.metaKey || event.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
      if (event.key === "?") setHelp((h) => !h);
      else {
        const action = latest.current[event.key];
        if (!action) return;
        action();
      }
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);

  const setAndRemember = (on: boolean) => {
    setEnabled(on);
    localStorage.setItem(STORAGE_KEY, on ? "on" : "off");
  };
  return { enabled, setEnabled: setAndRemember, help, toggleHelp: () => setHelp((h) => !h) };
}

/** The on/off switch and the help note that go with useKeyboardShortcuts. */
export function ShortcutBar({ shortcuts, children }: { shortcuts: ReturnType<typeof useKeyboardShortcuts>; children: React.ReactNode }) {
  return (
    <>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={shortcuts.enabled} onChange={(event) => shortcuts.setEnabled(event.target.checked)} />
          Keyboard shortcuts
        </label>
        <button type="button" className="underline" onClick={shortcuts.toggleHelp} aria-expanded={shortcuts.help}>
          Shortcut help
        </button>
      </div>
      {shortcuts.help ? (
        <div role="note" className="mb-2 rounded border border-slate-300 bg-slate-50 p-2 text-sm">
          {children}
        </div>
      ) : null}
    </>
  );
}
