"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { UnreadBadge } from "@/components/inbox/unread-badge";

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

export function NavLinks({ signedIn }: { signedIn: boolean }) {
  const path = usePathname();
  // Once hydrated, the arrow keys of every tablist (tab-keys.ts installs itself), in a chunk fetched after the page.
  useEffect(() => {
    void import("./tab-keys");
  }, []);
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
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-1.5 whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium ${
                  active ? "bg-subtle text-fg" : "text-muted hover:text-fg"
                }`}
              >
                {label}
                {href === "/inbox" && signedIn ? <UnreadBadge /> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
