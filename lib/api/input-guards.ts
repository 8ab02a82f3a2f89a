import { z } from "zod";
import { badRequest } from "./errors";

/**
 * Checks every request input passes before its schema sees it. Postgres refuses `\u0000` in text, and a
 * value nested deeper than any contract needs only costs stack, so both are client errors found here, once,
 * rather than as database or recursion failures further in.
 */

/** Deepest nesting of objects and arrays a request body may have (no contract needs more than a few). */
export const MAX_JSON_DEPTH = 64;

/**
 * Depth of the JSON text's nesting, counted without parsing it: brackets outside strings. Stops early once past
 * `limit`, so a body of a million `[` costs one linear scan and no recursion.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/** The path (`a.b.0`) of the first string or key holding a NUL byte, or null. Iterative: depth is bounded anyway. */
export function findNul(value: unknown, at = ""): string | null {
  const stack: [unknown, string][] = [[value, at]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return p || "(root)";
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, p ? `${p}.${i}` : String(i)]));
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const kp = p ? `${p}.${k}` : k;
        if (k.includes("\u0000")) return kp;
        stack.push([x, kp]);
      }
    }
  }
  return null;
}

/** Refuses a NUL byte anywhere in `value` with a 400 that names where it was. */
export function assertNoNul(value: unknown, where: string): void {
  const at = findNul(value);
  if (at !== null) {
    const field = where === "body" ? at : `${where}.${at}`;
    throw badRequest(`${field} contains a NUL byte, which no field accepts`, {
      fields: { [field]: "contains a NUL byte (\\u0000)" },
    });
  }
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

/**
 * The object schemas inside `schema` that silently drop unknown keys (zod's default), as paths. Every request
 * body and query of the API must refuse unknown fields instead (`z.strictObject` / `.strict()`), so that a typo
 * is a 400 naming the field, never a value quietly ignored. `defineRoute` calls this for each contract.
 */
export function lenientObjects(schema: z.ZodType, at = "(root)", seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const out: string[] = [];
  const walk = (s: unknown, p: string) => out.push(...lenientObjects(s as z.ZodType, p, seen));
  switch (def.type) {
    case "object": {
      const catchall = def.catchall as { _zod: { def: { type: string } } } | undefined;
      if (catchall?._zod.def.type !== "never") out.push(at);
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) walk(v, `${at}.${k}`);
      break;
    }
    case "array":
      walk(def.element, `${at}[]`);
      break;
    case "union":
      for (const o of def.options as unknown[]) walk(o, at);
      break;
    case "intersection":
      walk(def.left, at);
      walk(def.right, at);
      break;
    case "pipe":
      walk(def.in, at);
      break;
    case "record":
      walk(def.valueType, `${at}{}`);
      break;
    case "tuple":
      (def.items as unknown[]).forEach((x, i) => walk(x, `${at}[${i}]`));
      break;
    case "lazy":
      walk((def.getter as () => unknown)(), at);
      break;
    default:
      if (WRAPPERS.has(def.type)) walk(def.innerType, at);
  }
  return out;
}
