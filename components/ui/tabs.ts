/** The look of a row of tabs (links or buttons with role="tab") and of one tab in it. */
export const tabListClass = "inline-flex rounded-lg bg-subtle p-1 text-sm";

export function tabClass(selected: boolean): string {
  return `rounded-md px-3 py-1.5 font-medium ${selected ? "bg-card shadow-sm" : "text-muted hover:text-fg"}`;
}
