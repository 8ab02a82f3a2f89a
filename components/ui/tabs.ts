/** The look of a row of tabs (links or buttons with role="tab") and of one tab in it. */
export const tabListClass = "inline-flex rounded-lg bg-subtle p-1 text-sm";

export function tabClass(selected: boolean): string {
  return `rounded-md px-3 py-1.5 font-medium ${selected ? "bg-card shadow-sm" : "text-muted hover:text-fg"}`;
}

/**
 * The ARIA of one tab (WAI-ARIA tabs pattern): only the selected tab is in the Tab order (roving tabindex); the
 * arrow keys move between the tabs of a tablist (components/layout/tab-keys.ts, installed once per page).
 * `controls` is the id of the tabpanel the tab shows, when the page has one (aria-controls).
 */
export function tabProps(selected: boolean, controls?: string) {
  const props = { role: "tab", "aria-selected": selected, tabIndex: selected ? 0 : -1 } as const;
  return controls ? { ...props, "aria-controls": controls } : props;
}

/**
 * Where focus goes from tab `current` of `count` on `key` (WAI-ARIA tabs: arrows wrap, Home and End jump), or null
 * when the key is not one the pattern handles. Horizontal lists take Left/Right, vertical ones Up/Down.
 */
export function nextTab(key: string, current: number, count: number, vertical = false): number | null {
  if (count === 0) return null;
  const [back, forward] = vertical ? ["ArrowUp", "ArrowDown"] : ["ArrowLeft", "ArrowRight"];
  if (key === back) return (current - 1 + count) % count;
  if (key === forward) return (current + 1) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}
