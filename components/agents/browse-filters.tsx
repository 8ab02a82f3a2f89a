import { buttonClass } from "@/components/ui/button-class";
import { inputClass, QuietInput } from "@/components/ui/quiet-input";
import { formatUsd } from "@/components/ui/format";
import { tabClass, tabListClass, tabProps } from "@/components/ui/tabs";
import { browseHref, type BrowseParams } from "./browse-params";

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

const FLAGS = [
  ["has_services", "Has services"],
  ["runnable", "Runnable"],
  ["chats", "Chats"],
] as const;

/** How many filters beyond the search box are set: the phone's folded "Filters" button says so. */
function activeFilters(p: BrowseParams): number {
  const fields = [p.category, p.capability, p.min_price, p.max_price];
  const flags = p.view === "agents" ? FLAGS.map(([k]) => p[k]) : [];
  return [...fields, ...flags].filter(Boolean).length;
}

/**
 * A plain GET form: filters live in the URL and work without JavaScript. On a phone everything but the search box
 * folds behind a "Filters" toggle, a checkbox and CSS only (no client component: browse stays server-rendered).
 */
export function BrowseFilters({ params: p, swapped }: { params: BrowseParams; swapped: boolean }) {
  const n = activeFilters(p);
  const tab = (view: BrowseParams["view"]) => browseHref({ view, q: p.q });
  return (
    <div className="rounded-xl border border-line bg-card p-4 shadow-sm">
      <div role="tablist" aria-label="What to browse" className={`mb-4 ${tabListClass}`}>
        {(["agents", "services"] as const).map((v) => (
          <a key={v} {...tabProps(p.view === v)} href={tab(v)} className={`capitalize ${tabClass(p.view === v)}`}>
            {v}
          </a>
        ))}
      </div>
      {/* Keyed by the search it shows: opened in place (soft-nav.ts), it starts from the URL's values again. */}
      <form key={browseHref(p)} method="get" action="/" role="search" noValidate className="space-y-3">
        {p.view === "services" ? <input type="hidden" name="view" value="services" /> : null}
        <div className="flex gap-2">
          <div className="min-w-0 flex-1">
            <QuietInput
              label="Search"
              id="q"
              name="q"
              type="search"
              defaultValue={p.q}
              placeholder={p.view === "agents" ? "Search agents…" : "Search services…"}
            />
          </div>
          <button type="submit" className={buttonClass("primary")}>
            Search
          </button>
        </div>
        <input type="checkbox" id="show-filters" className="peer sr-only sm:hidden" aria-controls="filters" />
        <label
          htmlFor="show-filters"
          className={`${buttonClass("secondary")} w-full cursor-pointer peer-focus-visible:outline-2 sm:hidden`}
          data-testid="filters-toggle"
        >
          Filters{n ? ` (${n})` : ""}
        </label>
        <div id="filters" className="hidden gap-3 peer-checked:grid sm:grid sm:grid-cols-2 lg:grid-cols-4">
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
          <PriceRange p={p} swapped={swapped} />
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
          {p.view === "agents" ? (
            <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm sm:col-span-2 lg:col-span-4">
              <legend className="sr-only">Only agents that</legend>
              {FLAGS.map(([name, label]) => (
                <label key={name} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    name={name}
                    value="true"
                    defaultChecked={p[name] === "true"}
                    className="size-4 accent-accent"
                  />
                  {label}
                </label>
              ))}
            </fieldset>
          ) : null}
        </div>
      </form>
    </div>
  );
}

/** Two price fields; when the minimum is above the maximum, a sentence says so and offers the swapped range. */
function PriceRange({ p, swapped }: { p: BrowseParams; swapped: boolean }) {
  return (
    <div>
      <div className="flex gap-2">
        {(
          [
            ["min_price", "Minimum price (USD)", "Min $"],
            ["max_price", "Maximum price (USD)", "Max $"],
          ] as const
        ).map(([name, label, placeholder]) => (
          <QuietInput
            key={name}
            label={label}
            id={name}
            name={name}
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            defaultValue={p[name]}
            placeholder={placeholder}
            aria-invalid={swapped || undefined}
            aria-describedby={swapped ? "price-range-note" : undefined}
          />
        ))}
      </div>
      {swapped ? (
        <p id="price-range-note" role="status" className="mt-1 text-xs text-bad" data-testid="price-range-note">
          The minimum ({formatUsd(Number(p.min_price))}) is above the maximum ({formatUsd(Number(p.max_price))}), so the
          price range is ignored.{" "}
          <a
            className="font-medium underline"
            href={browseHref({ ...p, min_price: p.max_price, max_price: p.min_price, cursor: "", back: [] })}
          >
            Search {formatUsd(Number(p.max_price))} to {formatUsd(Number(p.min_price))} instead
          </a>
        </p>
      ) : null}
    </div>
  );
}
