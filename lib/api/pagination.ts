import { z } from "zod";
import { badRequest } from "./errors";

/** Keyset cursors: an opaque base64url JSON of the last row's sort key, so pages stay stable under inserts. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
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
  throw badRequest("cursor is not valid", { fields: { cursor: "not a cursor from this API" } });
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
