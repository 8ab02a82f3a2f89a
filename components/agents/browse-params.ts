/** The browse page's state, all of it in the URL (a GET form), so a search can be shared and reloaded. */
export interface BrowseParams {
  view: "agents" | "services";
  q: string;
  category: string;
  capability: string;
  min_price: string;
  max_price: string;
  sort: string;
  /** The keyset cursor of the page shown ("" for the first). */
  cursor: string;
  /** The cursors of the pages before this one (after the first), oldest first: "Previous page" pops the last. */
  back: string[];
  has_services: "" | "true";
  runnable: "" | "true";
  /** Agents people can chat with (the API's invocable=true). */
  chats: "" | "true";
}

type Search = Record<string, string | string[] | undefined>;

/** Enough pages to walk back through; older ones are dropped (the first page stays one click away). */
const MAX_BACK = 30;
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

const flag = (v: string | string[] | undefined): "" | "true" => (one(v) === "true" ? "true" : "");

export function parseBrowse(sp: Search): BrowseParams {
  return {
    view: one(sp.view) === "services" ? "services" : "agents",
    q: one(sp.q),
    category: one(sp.category),
    capability: one(sp.capability),
    min_price: one(sp.min_price),
    max_price: one(sp.max_price),
    sort: one(sp.sort),
    cursor: one(sp.cursor),
    back: one(sp.back)
      .split(".")
      .filter((c) => CURSOR.test(c))
      .slice(-MAX_BACK),
    has_services: flag(sp.has_services),
    runnable: flag(sp.runnable),
    chats: flag(sp.chats),
  };
}

/** The URL of a browse state; empty fields are left out. */
export function browseHref(p: Partial<BrowseParams>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) {
    if (k === "view" && v === "agents") continue;
    const s = Array.isArray(v) ? v.join(".") : v;
    if (s) qs.set(k, s);
  }
  const s = qs.toString();
  return s ? `/?${s}` : "/";
}

/** The pages around this one: the previous (popping `back`), the next (pushing this page's cursor), the number. */
export function browsePages(p: BrowseParams, nextCursor: string | null) {
  const page = p.cursor ? p.back.length + 2 : 1;
  const prev = !p.cursor
    ? null
    : browseHref({ ...p, cursor: p.back.at(-1) ?? "", back: p.back.slice(0, -1) });
  const next = nextCursor
    ? browseHref({ ...p, cursor: nextCursor, back: p.cursor ? [...p.back, p.cursor].slice(-MAX_BACK) : [] })
    : null;
  return { page, prev, next };
}

/** min > max: both are numbers and the range is empty; the page says so instead of failing the search. */
export function priceSwapped(p: Pick<BrowseParams, "min_price" | "max_price">): boolean {
  const min = Number(p.min_price);
  const max = Number(p.max_price);
  return p.min_price !== "" && p.max_price !== "" && Number.isFinite(min) && Number.isFinite(max) && min > max;
}
