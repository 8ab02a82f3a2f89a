import { and, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { z } from "zod";
import { isUuid } from "./contract";
import { badRequest } from "./errors";

/**
 * Paging, for every list of the API: the `limit`/`cursor` query, the page envelope, and keyset cursors.
 * A cursor is an opaque base64url JSON of the last row's sort key, so pages stay stable under inserts; it is read
 * back only through readCursor/readSeqCursor, so a forged cursor is a 400 here rather than a database error.
 */

export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

function forged(): never {
  throw badRequest("cursor is not valid", { fields: { cursor: "not a cursor from this API" } });
}

function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(value) &&
      value.length === arity &&
      value.every((v) => v === null || ["string", "number"].includes(typeof v))
    ) {
      return value as (string | number | null)[];
    }
  } catch {
    // fall through
  }
  return forged();
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
};

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z.string().nullable(),
    total: z.number().int().optional(),
  });
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  total?: number;
}

export type SortDir = "asc" | "desc";

export interface KeysetSort {
  /** The sort expression (a column or a computed value). */
  expr: SQLWrapper;
  dir: SortDir;
  /** Typed placeholder for the cursor's value, e.g. fromEpochMicros for a timestamp. */
  cast: (value: number) => SQL;
  /** The value is text (a name): the cursor carries a string, compared as text. */
  text?: boolean;
  /** The value may be null; nulls sort last in either direction. */
  nullable?: boolean;
  /** The tie-breaker (a uuid column). */
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
export function keysetAfter(s: KeysetSort, value: number | string | null, id: string): SQL {
  const idAfter = s.idDir === "asc" ? sql`${s.id} > ${id}` : sql`${s.id} < ${id}`;
  if (value === null) return sql`(${s.expr} IS NULL AND ${idAfter})`;
  const v = typeof value === "string" ? sql`${value}::text` : s.cast(value);
  const beyond = s.dir === "asc" ? sql`${s.expr} > ${v}` : sql`${s.expr} < ${v}`;
  const orNull = s.nullable ? sql` OR ${s.expr} IS NULL` : sql``;
  return sql`(${beyond} OR (${s.expr} = ${v} AND ${idAfter})${orNull})`;
}

/** The condition for the rows after `cursor` in keysetOrder(s); undefined on the first page (and() skips it). */
export function keysetWhere(s: KeysetSort, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const [value, id] = readCursor(cursor, !!s.nullable, !!s.text);
  return keysetAfter(s, value, id);
}

// Beyond any price, rating count or epoch-microsecond timestamp (year 2286); keeps SQL casts from overflowing.
const MAX_CURSOR_VALUE = 1e16;

/**
 * Decodes a `[value, id]` cursor and checks it. A sort value is a number (timestamps travel as epoch
 * microseconds, see epochMicros), or a string of at most 300 characters for a `text` sort; every tie-breaker a uuid.
 */
export function readCursor(cursor: string, nullable: boolean, text = false): [number | string | null, string] {
  const [value, id] = decodeCursor(cursor, 2);
  const valueOk =
    value === null
      ? nullable
      : text
        ? typeof value === "string" && value.length <= 300
        : typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= MAX_CURSOR_VALUE;
  if (!valueOk || typeof id !== "string" || !isUuid(id)) {
    throw badRequest("cursor is not valid for this sort", { fields: { cursor: "not a cursor of this list and sort" } });
  }
  return [value as number | string | null, id];
}

/** Decodes a `[seq]` cursor over a serial id (e.g. log lines): a non-negative safe integer, or a 400. */
export function readSeqCursor(cursor: string): number {
  const [seq] = decodeCursor(cursor, 1);
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return forged();
  return seq;
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

/** A keyset sort on a timestamp column: its cursor value is the row's epochMicros(column), selected as `key`. */
export function timeSort(column: SQLWrapper, id: SQLWrapper, dir: SortDir, idDir: SortDir = dir) {
  return { expr: column, dir, cast: fromEpochMicros, id, idDir, key: epochMicros(column) } satisfies KeysetSort & {
    key: SQL<number>;
  };
}

/**
 * One page of a keyset list and the count of all its rows, run side by side: `rows` fetches up to `take` rows
 * matching its condition in `order` (the filters and the cursor's bound), `count` counts the filters alone.
 */
export async function keysetList<R>(
  sort: KeysetSort,
  q: { limit: number; cursor?: string },
  filters: SQL[],
  run: {
    rows: (where: SQL | undefined, order: SQL[], take: number) => Promise<R[]>;
    count: (where: SQL | undefined) => Promise<number>;
  },
  cursorOf: (last: R) => readonly (number | null | string)[],
): Promise<Page<R> & { total: number }> {
  const after = keysetWhere(sort, q.cursor);
  const [rows, total] = await Promise.all([
    run.rows(and(...filters, after), keysetOrder(sort), q.limit + 1),
    run.count(and(...filters)),
  ]);
  const { page, next } = keysetPage(rows, q.limit, cursorOf);
  return { data: page, next_cursor: next, total: Number(total) };
}

/** Splits a `limit + 1` fetch into the page and the cursor after its last row (null on the last page). */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  cursorOf: (last: R) => readonly (number | null | string)[],
): { page: R[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
