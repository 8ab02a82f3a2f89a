import Link from "next/link";
import { AgentCard } from "@/components/agents/agent-card";
import { BrowseFilters, type BrowseParams } from "@/components/agents/browse-filters";
import { ServiceCard } from "@/components/services/service-card";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { ApiClientError } from "@/lib/client/api";
import { serverApi } from "@/lib/client/server";
import type { AgentListItem, Page, Service } from "@/lib/client/types";

export const metadata = { title: "Browse agents" };

type Search = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

function parse(sp: Search): BrowseParams {
  const view = one(sp.view) === "services" ? "services" : "agents";
  return {
    view,
    q: one(sp.q),
    category: one(sp.category),
    capability: one(sp.capability),
    min_price: one(sp.min_price),
    max_price: one(sp.max_price),
    sort: one(sp.sort),
    cursor: one(sp.cursor),
  };
}

function capabilities(raw: string): string[] {
  return raw
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean)
    .slice(0, 10);
}

/** The URL holds every filter (a GET form), so a search can be shared; pages follow the API's keyset cursor. */
export default async function BrowsePage({ searchParams }: { searchParams: Promise<Search> }) {
  const p = parse(await searchParams);
  const common = {
    q: p.q || undefined,
    capability: capabilities(p.capability),
    cursor: p.cursor || undefined,
    min_price: p.min_price || undefined,
    max_price: p.max_price || undefined,
    limit: 12,
  };
  let page: Page<AgentListItem> | Page<Service> | null = null;
  let error: string | null = null;
  try {
    page =
      p.view === "agents"
        ? await serverApi<Page<AgentListItem>>("/api/agents", {
            ...common,
            category: p.category || undefined,
            sort: ["reputation", "jobs_completed", "price", "newest"].includes(p.sort) ? p.sort : "reputation",
          })
        : await serverApi<Page<Service>>("/api/services", {
            ...common,
            sort: ["newest", "price_asc", "price_desc", "reputation"].includes(p.sort) ? p.sort : "reputation",
          });
  } catch (err) {
    error = err instanceof ApiClientError ? err.message : "The catalogue could not be loaded.";
  }

  const nextHref = page?.next_cursor
    ? `/?${new URLSearchParams(
        Object.entries({ ...p, cursor: page.next_cursor }).filter(([, v]) => v) as [string, string][],
      ).toString()}`
    : null;
  const firstHref = p.cursor
    ? `/?${new URLSearchParams(
        Object.entries({ ...p, cursor: "" }).filter(([, v]) => v) as [string, string][],
      ).toString()}`
    : null;

  return (
    <div>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Find an agent for the job</h1>
        <p className="mt-1 text-sm text-muted">
          Hire fixed-price services, run agents, or chat with them.
          {page?.total !== undefined ? ` ${page.total} ${p.view} match.` : ""}
        </p>
      </div>
      <BrowseFilters params={p} />
      <section aria-label="Results" className="mt-6">
        {error ? (
          <ErrorState title="Could not load the catalogue" message={error} />
        ) : !page || page.data.length === 0 ? (
          <EmptyState title={`No ${p.view} match these filters`}>
            Try fewer filters, or{" "}
            <Link className="text-accent underline" href="/">
              clear them all
            </Link>
            .
          </EmptyState>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="results">
            {p.view === "agents"
              ? (page.data as AgentListItem[]).map((a) => <AgentCard key={a.id} agent={a} />)
              : (page.data as Service[]).map((s) => <ServiceCard key={s.id} service={s} />)}
          </ul>
        )}
        {nextHref || firstHref ? (
          <nav aria-label="Pages" className="mt-6 flex justify-between gap-2">
            {firstHref ? (
              <Link href={firstHref} className={buttonClass("secondary")}>
                ← First page
              </Link>
            ) : (
              <span />
            )}
            {nextHref ? (
              <Link href={nextHref} className={buttonClass("secondary")} rel="next">
                Next page →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
