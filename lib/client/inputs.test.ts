import { describe, expect, it } from "vitest";
import { readInputs } from "./inputs";
import type { RequiredInput } from "./types";

const inputs: RequiredInput[] = [
  { name: "topic", type: "string" },
  { name: "count", type: "number" },
  { name: "urgent", type: "boolean" },
  { name: "options", type: "object" },
  { name: "files", type: "array" },
];

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(`input.${k}`, v);
  return f;
}

describe("readInputs", () => {
  it("turns form strings into the JSON types required_inputs declares", () => {
    const { data, errors } = readInputs(
      inputs,
      form({ topic: " zebras ", count: "3.5", urgent: "on", options: '{"tone":"warm"}', files: '["a","b"]' }),
    );
    expect(errors).toEqual({});
    expect(data).toEqual({ topic: "zebras", count: 3.5, urgent: true, options: { tone: "warm" }, files: ["a", "b"] });
  });

  it("reports each field that is missing or of the wrong shape; an unchecked box is false", () => {
    const { data, errors } = readInputs(inputs, form({ topic: "", count: "three", options: "[1]", files: "{" }));
    expect(data).toEqual({ urgent: false });
    expect(errors).toEqual({
      topic: "topic is required",
      count: "Enter a number",
      options: 'Enter a JSON object, like {"key": "value"}',
      files: "This is not valid JSON: enter a JSON array",
    });
  });
});
