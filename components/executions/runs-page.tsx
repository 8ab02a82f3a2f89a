import { ErrorState } from "@/components/ui/states";
import { listExecutionsQuery } from "@/lib/api/contracts/executions";
import { ApiError } from "@/lib/api/errors";
import type { Page } from "@/lib/api/pagination";
import { checkQuery } from "@/lib/client/server";
import type { Execution } from "@/lib/client/runtime-types";
import type { ListOptions } from "@/lib/runtime/execution-lists";
import { RunsList, runsHref } from "./runs-list";

const PAGE_SIZE = 20;

/**
 * A runs list read as its API reads it (the query checked with the route's schema, a bad filter or cursor shown
 * as the 400's message): the agent's Runs tab (`extra` keeps `tab=runs` in its links) and the "my runs" page.
 */
export async function RunsPage({
  raw,
  base,
  extra = {},
  showAgent,
  load,
}: {
  raw: { status?: string; cursor?: string };
  base: string;
  extra?: Record<string, string>;
  showAgent: boolean;
  load: (opts: ListOptions) => Promise<Page<Execution>>;
}) {
  const checked = checkQuery(listExecutionsQuery, { status: raw.status, cursor: raw.cursor, limit: PAGE_SIZE });
  let page: Page<Execution> | null = null;
  let error = checked.ok ? null : checked.message;
  if (checked.ok) {
    try {
      page = await load(checked.query);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      error = err.message;
    }
  }
  if (!page) return <ErrorState title="Could not list the runs" message={error ?? "Invalid request"} />;
  return (
    <RunsList
      page={page}
      status={checked.ok ? checked.query.status : undefined}
      cursor={raw.cursor}
      showAgent={showAgent}
      href={(q) => runsHref(base, { ...extra, ...q })}
    />
  );
}
