"use client";

import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

/** The submit button of a settings form, what no field could show, and "Saved" after a save. */
export function SaveRow({
  label,
  pendingLabel = "Saving…",
  pending,
  saved,
  error,
}: {
  label: string;
  pendingLabel?: string;
  pending: boolean;
  saved: boolean;
  error: string | null;
}) {
  return (
    <div className="space-y-2">
      <FormError message={error} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? pendingLabel : label}
        </Button>
        {saved && !error ? (
          <span className="text-sm text-ok" role="status">
            Saved
          </span>
        ) : null}
      </div>
    </div>
  );
}
