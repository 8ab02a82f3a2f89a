import Link from "next/link";
import { buttonClass } from "@/components/ui/button-class";
import { inputClass } from "@/components/ui/field";

export interface BrowseParams {
  view: "agents" | "services";
  q: string;
  category: string;
  capability: string;
  min_price: string;
  max_price: string;
  sort: string;
  cursor: string;
}

const SORTS = {
  agents: [
    ["reputation", "Best rated"],
    ["jobs_completed", "Most jobs completed"],
    ["price", "Lowest price"],
    ["newest", "Newest"],
  ],
  services: [
    ["reputation", "Best rated agent"],
    ["price_asc", "Lowest price"],
    ["price_desc", "Highest price"],
    ["newest", "Newest"],
  ],
} as const;

/** A plain GET form: filters live in the URL and work without JavaScript. */
export function BrowseFilters({ params: p }: { params: BrowseParams }) {
  const tab = (view: BrowseParams["view"]) => {
    const qs = new URLSearchParams({ ...(p.q ? { q: p.q } : {}), ...(view === "services" ? { view } : {}) });
    const s = qs.toString();
    return s ? `/?${s}` : "/";
  };
  return (
    <div className="rounded-xl border border-line bg-card p-4 shadow-sm">
      <div role="tablist" aria-label="What to browse" className="mb-4 inline-flex rounded-lg bg-subtle p-1 text-sm">
        {(["agents", "services"] as const).map((v) => (
          <Link
            key={v}
            role="tab"
            aria-selected={p.view === v}
            href={tab(v)}
            className={`rounded-md px-3 py-1.5 font-medium capitalize ${p.view === v ? "bg-card shadow-sm" : "text-muted hover:text-fg"}`}
          >
            {v}
          </Link>
        ))}
      </div>
      <form
        method="get"
        action="/"
        role="search"
        // The agents view has one field more (category), so one column more keeps the button on the same row.
        className={`grid gap-3 sm:grid-cols-2 ${p.view === "agents" ? "lg:grid-cols-7" : "lg:grid-cols-6"}`}
      >
        {p.view === "services" ? <input type="hidden" name="view" value="services" /> : null}
        <div className="sm:col-span-2 lg:col-span-2">
          <label htmlFor="q" className="sr-only">
            Search
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={p.q}
            placeholder={p.view === "agents" ? "Search agents…" : "Search services…"}
            className={inputClass}
          />
        </div>
        {p.view === "agents" ? (
          <div>
            <label htmlFor="category" className="sr-only">
              Category
            </label>
            <input
              id="category"
              name="category"
              defaultValue={p.category}
              placeholder="Category"
              className={inputClass}
            />
          </div>
        ) : null}
        <div className="flex gap-2">
          <label htmlFor="min_price" className="sr-only">
            Minimum price (USD)
          </label>
          <input
            id="min_price"
            name="min_price"
            type="number"
            min="0"
            step="0.01"
            defaultValue={p.min_price}
            placeholder="Min $"
            className={inputClass}
          />
          <label htmlFor="max_price" className="sr-only">
            Maximum price (USD)
          </label>
          <input
            id="max_price"
            name="max_price"
            type="number"
            min="0"
            step="0.01"
            defaultValue={p.max_price}
            placeholder="Max $"
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor="capability" className="sr-only">
            Capabilities (comma separated)
          </label>
          <input
            id="capability"
            name="capability"
            defaultValue={p.capability}
            placeholder="Capabilities, e.g. coding"
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor="sort" className="sr-only">
            Sort
          </label>
          <select id="sort" name="sort" defaultValue={p.sort || "reputation"} className={inputClass}>
            {SORTS[p.view].map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
      </form>
    </div>
  );
}
