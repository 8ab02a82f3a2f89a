import fc from "fast-check";

/** The subset of JSON Schema (OpenAPI 3.1) that our zod contracts produce. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

/**
 * Values that satisfy `schema`, for generating requests that get past validation into the code behind it.
 * `uuids` are the ids of rows that exist, so a valid-looking request can also name something real.
 */
export function arbitraryFor(
  schema: JsonSchema | undefined,
  uuids: readonly string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices?.length) return fc.oneof(...choices.map((s) => arbitraryFor(s, uuids, depth + 1)));
  if (schema.allOf?.length) return arbitraryFor(schema.allOf[0], uuids, depth + 1);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ["object"];
  return fc.oneof(...types.map((t) => byType(t, schema, uuids, depth)));
}

function byType(type: string, s: JsonSchema, uuids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1e6);
      return type === "integer"
        ? fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31)) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case "string":
      return stringFor(s, uuids);
    case "array":
      return fc.array(arbitraryFor(s.items, uuids, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 4, (s.minItems ?? 0) + 4),
      });
    default: {
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of props) record[k] = arbitraryFor(v, uuids, depth + 1);
      const base = fc.record(record, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
      if (props.length || s.additionalProperties === false) return base;
      const values = typeof s.additionalProperties === "object" ? s.additionalProperties : {};
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), arbitraryFor(values, uuids, depth + 1), {
        maxKeys: 3,
      });
    }
  }
}

function stringFor(s: JsonSchema, uuids: readonly string[]): fc.Arbitrary<string> {
  if (s.format === "uuid") return uuids.length ? fc.oneof(fc.constantFrom(...uuids), fc.uuid()) : fc.uuid();
  if (s.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === "email") return fc.emailAddress();
  if (s.format === "uri" || s.format === "url") return fc.webUrl();
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  const minLength = s.minLength ?? 0;
  return fc
    .string({ minLength, maxLength: Math.min(s.maxLength ?? 30, minLength + 30) })
    .filter((x) => x.trim().length >= Math.min(minLength, 1));
}

/** Replaces the value at one path of `value` (chosen by `pick`) with `bad`; a copy, `value` is untouched. */
export function mutateAt(value: unknown, pick: number, bad: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(value, []);
  const path = paths[pick % paths.length]!;
  if (!path.length) return bad;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = bad;
  return copy;
}
