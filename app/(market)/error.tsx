"use client";

import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";

export default function MarketError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      title="This page could not be shown"
      message={error.digest ? `Something failed on our side (ref ${error.digest}).` : error.message}
      action={<Button onClick={reset}>Try again</Button>}
    />
  );
}
