"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { installSoftNav } from "./soft-nav";

const LINKS = [
  ["/", "Browse"],
  ["/jobs", "Jobs"],
  ["/runs", "Runs"],
  ["/inbox", "Inbox"],
  ["/wallet", "Wallet"],
  ["/stats", "Stats"],
  ["/settings", "Settings"],
  ["/docs", "API docs"],
] as const;

/**
 * The main navigation: plain links (soft-nav.ts opens them in place), the current one marked. `inboxBadge` is the
 * signed-in visitor's unread count, an island the server passes in (nothing for visitors).
 */
export function NavLinks({ inboxBadge }: { inboxBadge?: ReactNode }) {
  const path = usePathname();
  const router = useRouter();
  useEffect(() => {
    // Once hydrated, the arrow keys of every tablist (tab-keys.ts installs itself), in a chunk fetched after the page.
    void import("./tab-keys");
    return installSoftNav(router);
  }, [router]);
  return (
    <nav aria-label="Main" className="-mx-1 flex w-full overflow-x-auto sm:w-auto">
      <ul className="flex items-center gap-1">
        {LINKS.map(([href, label]) => {
          const active =
            href === "/"
              ? path === "/" || path.startsWith("/agents") || path.startsWith("/services")
              : path.startsWith(href);
          return (
            <li key={href}>
              <a
                href={href}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-1.5 whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium ${
                  active ? "bg-subtle text-fg" : "text-muted hover:text-fg"
                }`}
              >
                {label}
                {href === "/inbox" ? inboxBadge : null}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
