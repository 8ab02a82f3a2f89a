import { nextTab } from "@/components/ui/tabs";

/**
 * One keydown listener for every tablist of the page (WAI-ARIA tabs, manual activation): the arrow keys, Home and
 * End move focus between the tabs of the focused tab's list; Enter (native) and Space activate a tab. Delegated
 * from the document so server-rendered tab rows (browse) need no client component of their own.
 *
 * Installed by importing this module: nav-links.tsx imports it once the page is up, a chunk of its own, so
 * first-load JavaScript does not grow for a keyboard nicety. A module runs once, so the listener is added once.
 */
export function installTabKeys(doc: Document): void {
  const onKey = (e: KeyboardEvent) => {
    const tab = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[role="tab"]') : null;
    const list = tab?.closest<HTMLElement>('[role="tablist"]');
    if (!tab || !list || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === " " && tab.tagName === "A") {
      e.preventDefault();
      tab.click();
      return;
    }
    const tabs = [...list.querySelectorAll<HTMLElement>('[role="tab"]')].filter(
      (t) => t.closest('[role="tablist"]') === list && !t.hasAttribute("disabled"),
    );
    const to = nextTab(e.key, tabs.indexOf(tab), tabs.length, list.getAttribute("aria-orientation") === "vertical");
    if (to === null) return;
    e.preventDefault();
    tabs[to]?.focus();
  };
  doc.addEventListener("keydown", onKey);
}

if (typeof document !== "undefined") installTabKeys(document);
