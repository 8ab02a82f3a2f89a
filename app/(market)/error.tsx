"use client";

import { buttonClass } from "@/components/ui/button-class";
import { ErrorState } from "@/components/ui/error-state";

/** A page that failed, inside the header and footer; a plain button (this boundary ships with every market page). */
export default function MarketError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      title="This page could not be shown"
      message={error.digest ? `Something failed on our side (ref ${error.digest}).` : error.message}
      action={
        <button type="button" className={buttonClass("primary")} onClick={reset}>
          Try again
        </button>
      }
    />
  );
}
