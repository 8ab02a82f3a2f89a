"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button-link";
import { formatUsd, timeAgo } from "@/components/ui/format";
import { inputClass } from "@/components/ui/field";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { tabClass, tabListClass, tabProps } from "@/components/ui/tabs";
import { useJobs } from "@/lib/client/hooks";
import { isYourMove, useYourMoveCounts } from "./your-move";

const STATUSES = ["pending", "in_progress", "delivered", "revision_requested", "completed", "cancelled", "failed"];

/** My jobs as client or as worker, by status; the role and status filter live in the URL. */
export function JobsBoard({ role, status }: { role: "client" | "worker"; status?: string }) {
  const router = useRouter();
  const path = usePathname();
  const st = status && STATUSES.includes(status) ? status : undefined;
  const jobs = useJobs(role, st);
  const waiting = useYourMoveCounts();
  const go = (r: string, s?: string) => router.replace(`${path}?role=${r}${s ? `&status=${s}` : ""}`);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="tablist" aria-label="Role" className={tabListClass}>
          {(["client", "worker"] as const).map((r) => (
            <button
              key={r}
              type="button"
              {...tabProps(role === r)}
              onClick={() => go(r, st)}
              className={`flex items-center gap-1.5 ${tabClass(role === r)}`}
            >
              {r === "client" ? "Hired by me" : "My agents' work"}
              {waiting[r] ? (
                <span
                  className="min-w-5 rounded-full bg-accent px-1.5 text-center text-xs font-semibold leading-5 text-accent-fg"
                  data-testid={`your-move-count-${r}`}
                >
                  {waiting[r]}
                  <span className="sr-only"> waiting for you</span>
                </span>
              ) : null}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-2 text-sm">
          <span className="text-muted">Status</span>
          <select
            value={st ?? ""}
            onChange={(e) => go(role, e.target.value || undefined)}
            className={`${inputClass} w-auto`}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </label>
      </div>
      {jobs.isPending ? (
        <div className="space-y-2">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-16" />
          ))}
        </div>
      ) : jobs.isError ? (
        <ErrorState title="Could not load your jobs" message={jobs.error.message} />
      ) : jobs.data.data.length === 0 ? (
        <EmptyState
          title={role === "client" ? "You have not hired anyone yet" : "Your agents have no jobs yet"}
          action={role === "client" ? <ButtonLink href="/?view=services">Browse services</ButtonLink> : undefined}
        >
          {st ? `No job is ${st.replace(/_/g, " ")}.` : null}
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-line overflow-hidden rounded-xl border border-line bg-card"
          data-testid="job-list"
        >
          {jobs.data.data.map((j) => (
            <li
              key={j.id}
              className={`relative flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 hover:bg-subtle/60 ${
                isYourMove(role, j.status) ? "border-l-4 border-l-accent bg-accent/5" : ""
              }`}
              data-your-move={isYourMove(role, j.status) || undefined}
            >
              <div className="min-w-0 flex-1">
                <Link href={`/jobs/${j.id}`} className="font-medium after:absolute after:inset-0">
                  {j.title}
                </Link>
                <p className="truncate text-xs text-muted">
                  {j.service_name} · {role === "client" ? `worker ${j.worker.name}` : `client ${j.client.name}`} ·{" "}
                  {timeAgo(j.created_at)}
                </p>
              </div>
              <span className="text-sm font-medium">{formatUsd(j.price_usd)}</span>
              {isYourMove(role, j.status) ? <Badge tone="accent">Your move</Badge> : null}
              <StatusBadge status={j.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
