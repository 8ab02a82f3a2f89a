import { expect } from "vitest";
import type { z } from "zod";
import type { FieldRule } from "@/lib/client/form-errors";

/* Reading a zod schema's limits, for tests that keep the forms' limits equal to the contracts'. */

type Def = { type: string; innerType?: z.ZodType; checks?: { _zod: { def: Record<string, unknown> } }[] };
const def = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/nullable wrappers. */
export function core(s: z.ZodType): z.ZodType {
  let at = s;
  for (let d = def(at); d.innerType; d = def(at)) at = d.innerType;
  return at;
}

/** min/max of a string (characters), number (value) or array (items), and a string's regex source. */
export function limits(s: z.ZodType): { min?: number; max?: number; pattern?: string } {
  const out: { min?: number; max?: number; pattern?: string } = {};
  for (const check of def(core(s)).checks ?? []) {
    const c = check._zod.def;
    if (c.check === "min_length") out.min = c.minimum as number;
    if (c.check === "max_length") out.max = c.maximum as number;
    if (c.check === "greater_than") out.min = c.value as number;
    if (c.check === "less_than") out.max = c.value as number;
    if (c.check === "string_format" && c.format === "regex") out.pattern = (c.pattern as RegExp).source;
  }
  return out;
}

/** The fields of an object schema (under its wrappers). */
export const shape = (o: z.ZodType) => (core(o) as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

/** The element schema of an array schema. */
export const element = (a: z.ZodType) => (def(core(a)) as unknown as { element: z.ZodType }).element;

/** A form field's rule has the schema's limits (`scale`: dollars in the form, cents in the API). */
export function expectLimits(rule: FieldRule, schema: z.ZodType, scale = 1): void {
  const l = limits(schema);
  expect(rule.max, "max").toBe(l.max === undefined ? undefined : l.max * scale);
  if (rule.min !== undefined || (l.min !== undefined && l.min > 1)) expect(rule.min, "min").toBe((l.min ?? 0) * scale);
  // Flags may differ: the API lower-cases some fields before matching, and the form matches either case.
  if (l.pattern) expect(rule.pattern?.source, "pattern").toBe(l.pattern);
}
