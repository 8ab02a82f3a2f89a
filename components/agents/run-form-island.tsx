"use client";

import { island } from "@/components/layout/island";

/** The run form, fetched only where it is shown (signed in, a runnable target): not part of the agent page's first load. */
export const RunAgentFormIsland = island(() =>
  import("@/components/executions/run-agent-form").then((m) => m.RunAgentForm),
);
