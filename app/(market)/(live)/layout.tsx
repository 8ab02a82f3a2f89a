import type { ReactNode } from "react";
import { Providers } from "@/app/providers";

/**
 * The interactive pages (jobs, inbox, settings, executions) share react-query and its live invalidation (chat has
 * the same in its own group, outside this group's loading boundary). Browse, agent and service pages sit outside
 * both so they ship none of it (first-load budget).
 */
export default function LiveLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
