/** The part of a JSON Schema (as OpenAPI 3.1 writes it) the docs page reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
}

export interface FieldRow {
  /** Dotted path: `client.kind`, `required_inputs[].name`. */
  name: string;
  type: string;
  required: boolean;
  description: string;
  depth: number;
}

const MAX_DEPTH = 5;

/** Follows `#/components/schemas/X` references. */
export function resolve(schema: JsonSchema, schemas: Record<string, JsonSchema>): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) s = schemas[s.$ref.split("/").pop() ?? ""] ?? {};
  return s;
}

/** A short readable type: `string (uuid)`, `"a" | "b"`, `object[]`, `number | null`. */
export function typeLabel(schema: JsonSchema, schemas: Record<string, JsonSchema>): string {
  if (schema.$ref) return schema.$ref.split("/").pop() ?? "object";
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((u) => typeLabel(u, schemas)).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (type === "array") return `${schema.items ? typeLabel(schema.items, schemas) : "unknown"}[]`;
  if (!type) return schema.properties ? "object" : "any";
  return schema.format ? `${type} (${schema.format})` : type;
}

function constraints(s: JsonSchema): string {
  const bits: string[] = [];
  if (s.minimum !== undefined) bits.push(`min ${s.minimum}`);
  if (s.maximum !== undefined) bits.push(`max ${s.maximum}`);
  if (s.minLength !== undefined) bits.push(`min length ${s.minLength}`);
  if (s.maxLength !== undefined) bits.push(`max length ${s.maxLength}`);
  if (s.maxItems !== undefined) bits.push(`at most ${s.maxItems} items`);
  if (s.default !== undefined) bits.push(`default ${JSON.stringify(s.default)}`);
  return bits.join(", ");
}

/** The object (or array-of-object) a schema describes, seen through refs and `X | null`. */
function objectOf(schema: JsonSchema, schemas: Record<string, JsonSchema>): { obj: JsonSchema; suffix: string } | null {
  let s = resolve(schema, schemas);
  const union = s.anyOf ?? s.oneOf;
  if (union) {
    const nonNull = union.filter((u) => u.type !== "null");
    if (nonNull.length !== 1) return null;
    s = resolve(nonNull[0]!, schemas);
  }
  if (s.type === "array" && s.items) {
    const inner = objectOf(s.items, schemas);
    return inner ? { obj: inner.obj, suffix: `[]${inner.suffix}` } : null;
  }
  return s.properties ? { obj: s, suffix: "" } : null;
}

/** Flattens an object schema into one row per field, nested objects as dotted names. */
export function fieldRows(schema: JsonSchema, schemas: Record<string, JsonSchema>, prefix = "", depth = 0): FieldRow[] {
  const found = objectOf(schema, schemas);
  if (!found || depth > MAX_DEPTH) return [];
  const rows: FieldRow[] = [];
  const required = new Set(found.obj.required ?? []);
  for (const [key, child] of Object.entries(found.obj.properties ?? {})) {
    const name = `${prefix}${key}`;
    const resolved = resolve(child, schemas);
    const extra = constraints(resolved);
    rows.push({
      name,
      type: typeLabel(child, schemas),
      required: required.has(key),
      description: [resolved.description ?? child.description, extra].filter(Boolean).join(" · "),
      depth,
    });
    const nested = objectOf(child, schemas);
    if (nested) rows.push(...fieldRows(child, schemas, `${name}${nested.suffix}.`, depth + 1));
  }
  return rows;
}
