import type { ReactNode } from "react";
import { Providers } from "@/app/providers";

/**
 * The interactive pages (jobs, inbox, settings, executions, chat) share react-query and its live invalidation.
 * Browse, agent and service pages sit outside this group so they ship none of it (first-load budget).
 */
export default function LiveLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
