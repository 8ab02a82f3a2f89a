import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

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
