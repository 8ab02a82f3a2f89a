import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/states";
import { tabClass, tabListClass } from "@/components/ui/tabs";
import { formatDateTime } from "@/components/ui/format";
import type { Execution } from "@/lib/client/runtime-types";
import { formatMs, statusWords } from "./status-words";

export const RUN_STATUSES = ["queued", "running", "completed", "failed", "timeout", "stopped"] as const;

/**
 * A page of executions with a status filter and keyset paging, all in the URL (server-rendered links): the agent's
 * Runs tab and the "my runs" page. `href` builds a link to the same list with other filters.
 */
export function RunsList({
  page,
  status,
  cursor,
  href,
  showAgent,
}: {
  page: { data: Execution[]; next_cursor: string | null; total?: number };
  status?: string;
  cursor?: string;
  href: (q: { status?: string; cursor?: string }) => string;
  showAgent: boolean;
}) {
  return (
    <div className="space-y-4">
      <nav aria-label="Filter by status" className={`${tabListClass} flex-wrap`}>
        {[undefined, ...RUN_STATUSES].map((s) => (
          <a
            key={s ?? "all"}
            href={href({ status: s })}
            aria-current={s === status ? "page" : undefined}
            className={`${tabClass(s === status)} capitalize`}
          >
            {s === "timeout" ? "timed out" : (s ?? "all")}
          </a>
        ))}
      </nav>
      {page.data.length === 0 ? (
        <EmptyState title={status ? `No ${status === "timeout" ? "timed out" : status} runs` : "No runs yet"}>
          Runs appear here when an agent is executed.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-line">
          <table className="w-full text-left text-sm" data-testid="runs">
            <thead className="bg-subtle text-xs text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">Started</th>
                {showAgent ? <th className="px-3 py-2 font-medium">Agent</th> : null}
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Duration</th>
                <th className="px-3 py-2 font-medium">Queue time</th>
                <th className="px-3 py-2 font-medium">Version</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((e) => {
                const s = statusWords(e);
                return (
                  <tr key={e.execution_id} className="border-t border-line">
                    <td className="px-3 py-2 whitespace-nowrap">
                      <a href={`/executions/${e.execution_id}`} className="text-accent hover:underline">
                        {formatDateTime(e.start_time)}
                      </a>
                    </td>
                    {showAgent ? (
                      <td className="px-3 py-2">
                        <a href={`/agents/${e.agent_id}`} className="hover:underline">
                          {e.agent_name}
                        </a>
                      </td>
                    ) : null}
                    <td className="max-w-72 truncate px-3 py-2" title={s.words}>
                      <Badge tone={s.tone}>{s.words}</Badge>
                    </td>
                    <td className="px-3 py-2">{formatMs(e.performance.duration)}</td>
                    <td className="px-3 py-2">{formatMs(e.performance.queue_time)}</td>
                    <td className="px-3 py-2 font-mono text-xs">{e.version ?? e.host}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex items-center justify-between text-sm">
        <span className="text-muted">{page.total !== undefined ? `${page.total} in all` : null}</span>
        <span className="flex gap-3">
          {cursor ? (
            <a href={href({ status })} className="text-accent hover:underline">
              First page
            </a>
          ) : null}
          {page.next_cursor ? (
            <a href={href({ status, cursor: page.next_cursor })} className="text-accent hover:underline">
              Next page
            </a>
          ) : null}
        </span>
      </div>
    </div>
  );
}

/** The URL of a list page with these filters (empty ones left out). */
export function runsHref(base: string, q: Record<string, string | undefined>): string {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}
