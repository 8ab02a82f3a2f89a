"use client";

import { useEffect, useState } from "react";

/**
 * "12 / 100" under a field with a length limit (the contract's, lib/client/form-rules.ts), red past it. It reads the
 * field by id, so the input stays as it is (controlled or not); a controlled field passes its `value` instead.
 * Nothing is drawn before hydration, so the server's HTML and the first client render agree.
 */
export function CharCount({ htmlFor, max, value }: { htmlFor: string; max: number; value?: string }) {
  const [typed, setTyped] = useState<number | null>(null);
  useEffect(() => {
    if (value !== undefined) return;
    const el = document.getElementById(htmlFor) as HTMLInputElement | HTMLTextAreaElement | null;
    if (!el) return;
    const read = () => setTyped(el.value.length);
    // A form's reset changes the value after the event: read it on the next turn.
    const onReset = () => setTimeout(read);
    read();
    el.addEventListener("input", read);
    el.form?.addEventListener("reset", onReset);
    return () => {
      el.removeEventListener("input", read);
      el.form?.removeEventListener("reset", onReset);
    };
  }, [htmlFor, value]);
  const n = value !== undefined ? value.length : typed;
  if (n === null) return null;
  return (
    <span
      id={`${htmlFor}-count`}
      data-testid={`${htmlFor}-count`}
      className={`ml-auto shrink-0 text-xs tabular-nums ${n > max ? "font-medium text-bad" : "text-muted"}`}
    >
      {n.toLocaleString("en-US")} / {max.toLocaleString("en-US")}
    </span>
  );
}
