import Link from "next/link";
import { buttonClass } from "@/components/ui/button-class";
import { inputClass, QuietInput } from "@/components/ui/field";
import { tabClass, tabListClass } from "@/components/ui/tabs";

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
      <div role="tablist" aria-label="What to browse" className={`mb-4 ${tabListClass}`}>
        {(["agents", "services"] as const).map((v) => (
          <Link
            key={v}
            role="tab"
            aria-selected={p.view === v}
            href={tab(v)}
            className={`capitalize ${tabClass(p.view === v)}`}
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
          <QuietInput
            label="Search"
            id="q"
            name="q"
            type="search"
            defaultValue={p.q}
            placeholder={p.view === "agents" ? "Search agents…" : "Search services…"}
          />
        </div>
        {p.view === "agents" ? (
          <div>
            <QuietInput
              label="Category"
              id="category"
              name="category"
              defaultValue={p.category}
              placeholder="Category"
            />
          </div>
        ) : null}
        <div className="flex gap-2">
          <QuietInput
            label="Minimum price (USD)"
            id="min_price"
            name="min_price"
            type="number"
            min="0"
            step="0.01"
            defaultValue={p.min_price}
            placeholder="Min $"
          />
          <QuietInput
            label="Maximum price (USD)"
            id="max_price"
            name="max_price"
            type="number"
            min="0"
            step="0.01"
            defaultValue={p.max_price}
            placeholder="Max $"
          />
        </div>
        <div>
          <QuietInput
            label="Capabilities (comma separated)"
            id="capability"
            name="capability"
            defaultValue={p.capability}
            placeholder="Capabilities, e.g. coding"
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
