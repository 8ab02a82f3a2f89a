import { AgentCard } from "@/components/agents/agent-card";
import { BrowseFilters } from "@/components/agents/browse-filters";
import { browsePages, parseBrowse, priceSwapped } from "@/components/agents/browse-params";
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

const PAGE_SIZE = 12;

type Search = Record<string, string | string[] | undefined>;

function capabilities(raw: string): string[] {
  return raw
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean)
    .slice(0, 10);
}

/** The URL holds every filter (a GET form), so a search can be shared; pages follow the API's keyset cursor. */
export default async function BrowsePage({ searchParams }: { searchParams: Promise<Search> }) {
  const p = parseBrowse(await searchParams);
  const capability = capabilities(p.capability);
  // An empty range (min above max) is explained next to the price fields and left out of the search.
  const swapped = priceSwapped(p);
  const common = {
    q: p.q || undefined,
    capability: capability.length ? capability : undefined,
    cursor: p.cursor || undefined,
    min_price: swapped ? undefined : p.min_price || undefined,
    max_price: swapped ? undefined : p.max_price || undefined,
    limit: PAGE_SIZE,
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
        has_services: p.has_services || undefined,
        runnable: p.runnable || undefined,
        invocable: p.chats || undefined,
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

  const pages = browsePages(p, page?.next_cursor ?? null);
  const totalPages = page?.total !== undefined ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : null;

  return (
    <div>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Find an agent for the job</h1>
        <p className="mt-1 text-sm text-muted">
          Hire fixed-price services, run agents, or chat with them.
          {page?.total !== undefined ? ` ${page.total} ${p.view} match.` : ""}
        </p>
      </div>
      <BrowseFilters params={p} swapped={swapped} />
      <section aria-label="Results" className="mt-6">
        {error ? (
          <ErrorState title="Could not load the catalogue" message={error} />
        ) : !page || page.data.length === 0 ? (
          <EmptyState title={`No ${p.view} match these filters`}>
            Try fewer filters, or{" "}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- plain links: soft-nav.ts opens them in place */}
            <a className="text-accent underline" href="/">
              clear them all
            </a>
            .
          </EmptyState>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="results">
            {p.view === "agents"
              ? (page.data as AgentListItem[]).map((a) => <AgentCard key={a.id} agent={a} />)
              : (page.data as Service[]).map((s) => <ServiceCard key={s.id} service={s} />)}
          </ul>
        )}
        {pages.prev || pages.next ? (
          <nav aria-label="Pages" className="mt-6 flex items-center justify-between gap-2">
            {pages.prev ? (
              <a href={pages.prev} className={buttonClass("secondary")} rel="prev">
                ← Previous page
              </a>
            ) : (
              <span />
            )}
            <span className="text-sm text-muted" data-testid="page-number">
              Page {pages.page}
              {totalPages ? ` of ${totalPages}` : ""}
            </span>
            {pages.next ? (
              <a href={pages.next} className={buttonClass("secondary")} rel="next">
                Next page →
              </a>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
