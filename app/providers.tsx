"use client";

import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { MARKET_EVENT, RESYNC_EVENT } from "@/lib/client/live";
import { ApiClientError } from "@/lib/client/api";
import { qk } from "@/lib/client/keys";
import type { MarketEvent } from "@/lib/client/types";

/** react-query for the interactive pages; server components read the API directly and need none of this. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            refetchOnWindowFocus: false,
            // A 4xx will not change by asking again.
            retry: (count, err) => !(err instanceof ApiClientError && err.status < 500) && count < 2,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <LiveInvalidation />
      {children}
    </QueryClientProvider>
  );
}

/** Each platform event (from the header's one SSE connection) invalidates the queries it can change. */
function LiveInvalidation() {
  const qc = useQueryClient();
  const router = useRouter();
  useEffect(() => {
    const onEvent = (e: Event) => {
      const ev = (e as CustomEvent<MarketEvent>).detail;
      switch (ev.subject_type) {
        case "message":
          void qc.invalidateQueries({ queryKey: qk.inboxAll });
          if (typeof ev.data.job_id === "string") void qc.invalidateQueries({ queryKey: qk.job(ev.data.job_id) });
          break;
        case "job":
          void qc.invalidateQueries({ queryKey: qk.jobsAll });
          void qc.invalidateQueries({ queryKey: qk.job(ev.subject_id) });
          void qc.invalidateQueries({ queryKey: qk.inboxAll });
          break;
        case "agent":
        case "service":
        case "api_key":
          void qc.invalidateQueries({ queryKey: qk.agentsAll });
          break;
        case "execution":
          void qc.invalidateQueries({ queryKey: qk.execution(ev.subject_id) });
          break;
      }
    };
    // Events were pruned past the stream's resume point: refetch every query and re-render the server page.
    const onResync = () => {
      void qc.invalidateQueries();
      router.refresh();
    };
    window.addEventListener(MARKET_EVENT, onEvent);
    window.addEventListener(RESYNC_EVENT, onResync);
    return () => {
      window.removeEventListener(MARKET_EVENT, onEvent);
      window.removeEventListener(RESYNC_EVENT, onResync);
    };
  }, [qc, router]);
  return null;
}
