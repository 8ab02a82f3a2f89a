import Link from "next/link";
import { AgentCard } from "@/components/agents/agent-card";
import { BrowseFilters, type BrowseParams } from "@/components/agents/browse-filters";
import { ServiceCard } from "@/components/services/service-card";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { searchAgentsQuery } from "@/lib/api/contracts/agent-listings";
import { browseServicesQuery } from "@/lib/api/contracts/services";
import { ApiError } from "@/lib/api/errors";
import { checkQuery, viewer } from "@/lib/client/server";
import type { AgentListItem, Page, Service } from "@/lib/client/types";
import { searchAgents } from "@/lib/market/agent-search";
import { browseServices } from "@/lib/market/service-search";

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
  const capability = capabilities(p.capability);
  const common = {
    q: p.q || undefined,
    capability: capability.length ? capability : undefined,
    cursor: p.cursor || undefined,
    min_price: p.min_price || undefined,
    max_price: p.max_price || undefined,
    limit: 12,
  };
  let page: Page<AgentListItem> | Page<Service> | null = null;
  let error: string | null = null;
  // The filters come from the URL: checked with the API's own query schemas (GET /api/agents, /api/services),
  // then the same search the API runs, as the visitor (it decides which agents they may see).
  try {
    if (p.view === "agents") {
      const checked = checkQuery(searchAgentsQuery, {
        ...common,
        category: p.category || undefined,
        sort: ["reputation", "jobs_completed", "price", "newest"].includes(p.sort) ? p.sort : "reputation",
      });
      if (checked.ok) page = await searchAgents(await viewer(), checked.query);
      else error = checked.message;
    } else {
      const checked = checkQuery(browseServicesQuery, {
        ...common,
        sort: ["newest", "price_asc", "price_desc", "reputation"].includes(p.sort) ? p.sort : "reputation",
      });
      if (checked.ok) page = await browseServices(checked.query);
      else error = checked.message;
    }
  } catch (err) {
    error = err instanceof ApiError ? err.message : "The catalogue could not be loaded.";
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
