import type { RequiredInput } from "@/db/schema/services";

/** The JSON type of a value, in the vocabulary of `required_inputs`. */
export function jsonTypeOf(value: unknown): RequiredInput["type"] | "null" | "other" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return Number.isFinite(value) ? "number" : "other";
    case "boolean":
      return "boolean";
    case "object":
      return "object";
    default:
      return "other";
  }
}

/**
 * Checks a job's `input_data` against the service's `required_inputs`: every required input must be present
 * with the right JSON type. Extra keys are allowed. Returns `{ "input_data.<name>": problem }`, or null if fine.
 */
export function checkInputs(
  required: readonly RequiredInput[],
  data: Record<string, unknown>,
): Record<string, string> | null {
  const problems: Record<string, string> = {};
  for (const input of required) {
    const key = `input_data.${input.name}`;
    if (!Object.prototype.hasOwnProperty.call(data, input.name) || data[input.name] === undefined) {
      problems[key] = `required ${input.type} input is missing`;
      continue;
    }
    const actual = jsonTypeOf(data[input.name]);
    if (actual !== input.type) problems[key] = `expected ${input.type}, got ${actual}`;
  }
  return Object.keys(problems).length > 0 ? problems : null;
}
