"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useHydrated } from "@/components/ui/button";
import { signOut } from "@/lib/client/auth";

/**
 * Leaves for `/` first and signs out there: the page that was open (settings, wallet, a job) unmounts with its
 * react-query client (app/(market)/(live)/layout.tsx) before the session ends, so none of its private queries can
 * refetch, and answer 401, for a visitor who is no longer signed in.
 */
export function SignOutButton() {
  const router = useRouter();
  const pathname = usePathname();
  // Disabled until hydrated: the server's button (this is a lazy island) has no handler yet, and a click on it
  // would do nothing at all. It only looks disabled while signing out.
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    if (!busy || pathname !== "/" || started.current) return;
    started.current = true;
    void signOut().then(() => router.refresh());
  }, [busy, pathname, router]);
  return (
    <button
      type="button"
      disabled={!hydrated || busy}
      data-busy={busy}
      onClick={() => {
        setBusy(true);
        router.replace("/");
      }}
      className="rounded-md px-3 py-1.5 text-sm font-medium text-muted hover:bg-subtle hover:text-fg data-[busy=true]:opacity-50"
    >
      Sign out
    </button>
  );
}
