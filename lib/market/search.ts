import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { badRequest } from "@/lib/api/errors";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";

/** More terms than this add nothing to a catalogue search and only make the query slower. */
export const MAX_QUERY_TERMS = 8;
const MAX_TERM_LENGTH = 50;

/**
 * Turns free text into a prefix tsquery: `"Code rev"` -> `"code:* & rev:*"`. Terms are reduced to letters and
 * digits (any script), so nothing a user types can reach to_tsquery's own syntax (`!`, `|`, `(`, `:`...).
 * Returns null when no term is left: the caller then does not filter by text at all.
 */
export function toPrefixTsQuery(text: string): string | null {
  const terms: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!raw) continue;
    const term = raw.slice(0, MAX_TERM_LENGTH);
    if (!terms.includes(term)) terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms.length ? terms.map((t) => `${t}:*`).join(" & ") : null;
}

/**
 * `vector @@ to_tsquery('simple', ...)` over a GIN-indexed generated column, or null when the text has no term.
 * 'simple' matches the configuration the generated columns are built with (db/schema), so the index applies.
 */
export function textMatch(vector: SQLWrapper, text: string | undefined): SQL | null {
  if (text === undefined) return null;
  const query = toPrefixTsQuery(text);
  if (!query) return null;
  return sql`${vector} @@ to_tsquery('simple', ${query})`;
}

export type SortDir = "asc" | "desc";

export interface KeysetSort {
  /** The sort expression (a column or a computed value). */
  expr: SQLWrapper;
  dir: SortDir;
  /** Typed placeholder for the cursor's value, e.g. v => sql`${v}::timestamptz`. */
  cast: (value: number) => SQL;
  /** The value may be null; nulls sort last in either direction. */
  nullable?: boolean;
  /** The tie-breaker. */
  id: SQLWrapper;
  idDir: SortDir;
}

/** ORDER BY for a keyset sort: the value (nulls last), then the id. */
export function keysetOrder(s: KeysetSort): SQL[] {
  const nulls = s.nullable ? sql` NULLS LAST` : sql``;
  return [
    s.dir === "asc" ? sql`${s.expr} ASC${nulls}` : sql`${s.expr} DESC${nulls}`,
    s.idDir === "asc" ? sql`${s.id} ASC` : sql`${s.id} DESC`,
  ];
}

/**
 * The rows strictly after a cursor `[value, id]` in keysetOrder(s). Written as `a < v OR (a = v AND id > x)`
 * rather than a row comparison because the two directions may differ; the planner still walks the
 * (value, id) index and stops after the page.
 */
export function keysetAfter(s: KeysetSort, value: number | null, id: string): SQL {
  const idAfter = s.idDir === "asc" ? sql`${s.id} > ${id}` : sql`${s.id} < ${id}`;
  if (value === null) return sql`(${s.expr} IS NULL AND ${idAfter})`;
  const v = s.cast(value);
  const beyond = s.dir === "asc" ? sql`${s.expr} > ${v}` : sql`${s.expr} < ${v}`;
  const orNull = s.nullable ? sql` OR ${s.expr} IS NULL` : sql``;
  return sql`(${beyond} OR (${s.expr} = ${v} AND ${idAfter})${orNull})`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Beyond any price, rating count or epoch-microsecond timestamp (year 2286); keeps SQL casts from overflowing.
const MAX_CURSOR_VALUE = 1e16;

/**
 * Decodes a `[value, id]` cursor and checks it, so that a forged cursor is a 400 rather than a database error.
 * Every sort value is a number (timestamps travel as epoch microseconds, see epochMicros).
 */
export function readCursor(cursor: string, nullable: boolean): [number | null, string] {
  const [value, id] = decodeCursor(cursor, 2);
  const valueOk =
    value === null
      ? nullable
      : typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= MAX_CURSOR_VALUE;
  if (!valueOk || typeof id !== "string" || !UUID_RE.test(id)) {
    throw badRequest("cursor is not valid for this sort", { fields: { cursor: "not a cursor of this list and sort" } });
  }
  return [value as number | null, id];
}

/**
 * A timestamp as integer epoch microseconds: exact (Postgres keeps microseconds, a JS Date only milliseconds),
 * below 2^53 until the year 2255, and safe to carry in a cursor.
 */
export function epochMicros(column: SQLWrapper): SQL<number> {
  return sql<number>`(extract(epoch from ${column}) * 1000000)::bigint`.mapWith(Number);
}

/** The inverse of epochMicros, as a constant expression the planner can match against a timestamp index. */
export function fromEpochMicros(value: number): SQL {
  return sql`('epoch'::timestamptz + ${value}::bigint * interval '1 microsecond')`;
}

/** Splits a `limit + 1` fetch into the page and the cursor after its last row (null on the last page). */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  cursorOf: (last: R) => [number | null, string],
): { page: R[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
