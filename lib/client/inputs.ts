import type { RequiredInput } from "./types";

/** Turns the form's strings into the JSON types `required_inputs` declares; returns field errors instead. */
export function readInputs(
  inputs: RequiredInput[],
  form: Pick<FormData, "get">,
): { data: Record<string, unknown>; errors: Record<string, string> } {
  const data: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const i of inputs) {
    const raw = form.get(`input.${i.name}`);
    if (i.type === "boolean") {
      data[i.name] = raw === "on";
      continue;
    }
    const text = String(raw ?? "").trim();
    if (!text) {
      errors[i.name] = `${i.name} is required`;
      continue;
    }
    if (i.type === "string") data[i.name] = text;
    else if (i.type === "number") {
      const n = Number(text);
      if (Number.isFinite(n)) data[i.name] = n;
      else errors[i.name] = "Enter a number";
    } else {
      try {
        const v = JSON.parse(text) as unknown;
        const ok = i.type === "array" ? Array.isArray(v) : typeof v === "object" && v !== null && !Array.isArray(v);
        if (ok) data[i.name] = v;
        else errors[i.name] = `Enter a JSON ${i.type}, like ${i.type === "array" ? "[1, 2]" : '{"key": "value"}'}`;
      } catch {
        errors[i.name] = `This is not valid JSON: enter a JSON ${i.type}`;
      }
    }
  }
  return { data, errors };
}
