import { describe, expect, it } from "vitest";
import { inputSchemaSchema, requiredInputsFrom, type InputSchema } from "@/lib/api/contracts/input-schema";
import { fieldName, RAW_FIELD, readSchemaInputs, timeoutChoices } from "./schema-inputs";

const schema: InputSchema = {
  type: "object",
  properties: {
    text: { type: "string", format: "textarea" },
    count: { type: "integer", minimum: 1, maximum: 10 },
    ratio: { type: "number" },
    loud: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    rows: { type: "array", items: { type: "object" } },
    options: { type: "object" },
  },
  required: ["text"],
};

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(fieldName(k), v);
  return f;
}

describe("readSchemaInputs", () => {
  it("reads each property as the type its schema declares and leaves empty optional ones out", () => {
    const r = readSchemaInputs(
      schema,
      form({ text: "Hello.\nWorld.", count: "3", ratio: "0.5", loud: "on", tags: "a\n b \n\n", rows: '[{"x":1}]' }),
    );
    expect(r.errors).toEqual({});
    expect(r.data).toEqual({
      text: "Hello.\nWorld.",
      count: 3,
      ratio: 0.5,
      loud: true,
      tags: ["a", "b"],
      rows: [{ x: 1 }],
    });
  });

  it("reports a missing required property, numbers out of range and JSON of the wrong shape", () => {
    const r = readSchemaInputs(schema, form({ count: "11", ratio: "x", rows: '{"x":1}', options: "[1]" }));
    expect(r.errors).toEqual({
      text: "Required",
      count: "At most 10",
      ratio: "Must be a number",
      rows: "Must be a JSON array",
      options: "Must be a JSON object",
    });
    expect(readSchemaInputs(schema, form({ text: "t", count: "2.5" })).errors).toEqual({
      count: "Must be a whole number",
    });
  });

  it("an unchecked boolean is false, not missing", () => {
    expect(readSchemaInputs(schema, form({ text: "t" })).data).toEqual({ text: "t", loud: false });
  });

  it("without a schema reads the free JSON object (empty is {})", () => {
    const f = new FormData();
    expect(readSchemaInputs(null, f)).toEqual({ data: {}, errors: {} });
    f.set(RAW_FIELD, '{"a":[1]}');
    expect(readSchemaInputs(null, f).data).toEqual({ a: [1] });
    f.set(RAW_FIELD, "[1]");
    expect(readSchemaInputs(null, f).errors).toEqual({ __json: "Must be a JSON object" });
  });
});

describe("timeoutChoices", () => {
  it("offers the steps up to the maximum and the default, once each, in order", () => {
    expect(timeoutChoices(300, 600)).toEqual([10, 30, 60, 120, 300, 600]);
    expect(timeoutChoices(45, 60)).toEqual([10, 30, 45, 60]);
    expect(timeoutChoices(900, 120)).toEqual([10, 30, 60, 120]);
  });
});

describe("inputSchemaSchema", () => {
  it("accepts the form-able subset of JSON Schema and refuses the rest", () => {
    expect(inputSchemaSchema.safeParse(schema).success).toBe(true);
    expect(inputSchemaSchema.safeParse({ type: "array", items: {} }).success).toBe(false);
    expect(inputSchemaSchema.safeParse({ type: "object", properties: { a: { type: "null" } } }).success).toBe(false);
    const required = inputSchemaSchema.safeParse({ type: "object", properties: {}, required: ["a"] });
    expect(required.success).toBe(false);
    expect(required.error?.issues[0]?.path).toEqual(["required"]);
    expect(inputSchemaSchema.safeParse({ type: "object", properties: { "a-b": { type: "string" } } }).success).toBe(
      false,
    );
  });
});

describe("requiredInputsFrom", () => {
  it("lists the required properties as a service's required_inputs", () => {
    expect(
      requiredInputsFrom({
        ...schema,
        properties: { ...schema.properties, text: { type: "string", description: "The text" } },
        required: ["text", "count"],
      }),
    ).toEqual([
      { name: "text", type: "string", description: "The text" },
      { name: "count", type: "number" },
    ]);
  });
});
