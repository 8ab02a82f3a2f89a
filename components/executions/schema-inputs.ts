import type { InputProperty, InputSchema } from "@/lib/api/contracts/input-schema";

export type ReadResult = { data: Record<string, unknown>; errors: Record<string, string> };

/** The form field's name for a property (and for the free-JSON field when no schema is declared). */
export const fieldName = (name: string) => `param.${name}`;
export const RAW_FIELD = "param.__json";

function readJson(text: string, want: "array" | "object"): { value?: unknown; error?: string } {
  try {
    const v = JSON.parse(text) as unknown;
    const ok = want === "array" ? Array.isArray(v) : typeof v === "object" && v !== null && !Array.isArray(v);
    return ok ? { value: v } : { error: `Must be a JSON ${want}` };
  } catch {
    return { error: `Must be valid JSON (${want})` };
  }
}

/** One property's value from its field's text; `undefined` when left empty. */
function readProperty(p: InputProperty, raw: FormDataEntryValue | null): { value?: unknown; error?: string } {
  if (p.type === "boolean") return { value: raw === "on" };
  const text = String(raw ?? "");
  if (!text.trim()) return {};
  switch (p.type) {
    case "string":
      if (p.maxLength !== undefined && text.length > p.maxLength) return { error: `At most ${p.maxLength} characters` };
      return { value: text };
    case "number":
    case "integer": {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) return { error: "Must be a number" };
      if (p.type === "integer" && !Number.isInteger(n)) return { error: "Must be a whole number" };
      if (p.minimum !== undefined && n < p.minimum) return { error: `At least ${p.minimum}` };
      if (p.maximum !== undefined && n > p.maximum) return { error: `At most ${p.maximum}` };
      return { value: n };
    }
    case "array":
      // A list of strings is one per line; a list of objects is JSON.
      if (p.items?.type !== "object" && !text.trim().startsWith("[")) {
        return {
          value: text
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean),
        };
      }
      return readJson(text, "array");
    case "object":
      return readJson(text, "object");
  }
}

/**
 * The execution's `parameters` from the run form: each declared property read as its type, the required ones
 * checked; without a schema, the free JSON object. Field errors are keyed by property name (`__json` for the
 * free field).
 */
export function readSchemaInputs(schema: InputSchema | null, form: Pick<FormData, "get">): ReadResult {
  if (!schema) {
    const text = String(form.get(RAW_FIELD) ?? "").trim();
    if (!text) return { data: {}, errors: {} };
    const r = readJson(text, "object");
    return r.error
      ? { data: {}, errors: { __json: r.error } }
      : { data: r.value as Record<string, unknown>, errors: {} };
  }
  const data: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, p] of Object.entries(schema.properties)) {
    const r = readProperty(p, form.get(fieldName(name)));
    if (r.error) errors[name] = r.error;
    else if (r.value !== undefined) data[name] = r.value;
    else if (required.has(name)) errors[name] = "Required";
  }
  return { data, errors };
}

/** The timeouts offered (seconds): the usual steps up to the operator's maximum, and the default. */
export function timeoutChoices(defaultS: number, maxS: number): number[] {
  const steps = [10, 30, 60, 120, 300, 600, 1800, 3600].filter((s) => s <= maxS);
  return [...new Set([...steps, Math.min(defaultS, maxS)])].sort((a, b) => a - b);
}
