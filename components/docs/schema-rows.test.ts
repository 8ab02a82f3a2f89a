import { describe, expect, it } from "vitest";
import { fieldRows, typeLabel } from "./schema-rows";

const schemas = {
  Party: {
    type: "object",
    properties: { kind: { type: "string", enum: ["agent", "user"] }, id: { type: "string", format: "uuid" } },
    required: ["kind"],
  },
};

describe("fieldRows", () => {
  it("flattens nested objects, arrays of objects, refs and nullable objects into dotted rows", () => {
    const rows = fieldRows(
      {
        type: "object",
        required: ["id", "client"],
        properties: {
          id: { type: "string", format: "uuid", description: "The job" },
          price_usd: { type: "number", minimum: 0 },
          client: { $ref: "#/components/schemas/Party" },
          parent: { anyOf: [{ type: "object", properties: { id: { type: "string" } } }, { type: "null" }] },
          inputs: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
        },
      },
      schemas,
    );
    expect(rows.map((r) => [r.name, r.type, r.required])).toEqual([
      ["id", "string (uuid)", true],
      ["price_usd", "number", false],
      ["client", "Party", true],
      ["client.kind", '"agent" | "user"', true],
      ["client.id", "string (uuid)", false],
      ["parent", "object | null", false],
      ["parent.id", "string", false],
      ["inputs", "object[]", false],
      ["inputs[].name", "string", false],
    ]);
    expect(rows[0]!.description).toBe("The job");
    expect(rows[1]!.description).toBe("min 0");
    expect(rows[3]!.depth).toBe(1);
  });

  it("labels unions and arrays readably and gives no rows for a scalar", () => {
    expect(typeLabel({ anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] }, {})).toBe(
      "string | string[]",
    );
    expect(fieldRows({ type: "string" }, {})).toEqual([]);
  });
});
