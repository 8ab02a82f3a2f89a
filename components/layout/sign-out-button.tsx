"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { signOut } from "@/lib/client/auth";

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await signOut();
        router.replace("/");
        router.refresh();
      }}
      className="rounded-md px-3 py-1.5 text-sm font-medium text-muted hover:bg-subtle hover:text-fg disabled:opacity-50"
    >
      Sign out
    </button>
  );
}
