"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { UnreadBadge } from "@/components/inbox/unread-badge";

const LINKS = [
  { href: "/", label: "Browse" },
  { href: "/jobs", label: "Jobs" },
  { href: "/inbox", label: "Inbox" },
  { href: "/wallet", label: "Wallet" },
  { href: "/stats", label: "Stats" },
  { href: "/settings", label: "Settings" },
  { href: "/docs", label: "API docs" },
];

export function NavLinks({ signedIn }: { signedIn: boolean }) {
  const path = usePathname();
  // The header is on every page: its one client island also gives every tablist its arrow keys. Loaded after the
  // page (a chunk of its own), so first-load JavaScript does not grow for a keyboard nicety.
  useEffect(() => {
    let off: (() => void) | undefined;
    let gone = false;
    void import("./tab-keys").then((m) => {
      if (!gone) off = m.installTabKeys(document);
    });
    return () => {
      gone = true;
      off?.();
    };
  }, []);
  return (
    <nav aria-label="Main" className="order-last -mx-1 flex w-full overflow-x-auto sm:order-none sm:w-auto">
      <ul className="flex items-center gap-1">
        {LINKS.map(({ href, label }) => {
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
