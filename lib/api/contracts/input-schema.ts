import { z } from "zod";

/*
 * An agent's declared input: a JSON Schema (draft 2020-12 keywords) of `type: "object"` whose properties are the
 * parameters of an execution. Only the subset a form can be generated from is accepted (flat properties of a
 * scalar type, a list of strings, or free JSON), so whatever is stored the run form can render; anything else is a
 * 400 at deploy time rather than a form that silently drops a field.
 */

const propertyName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "property names must be identifiers (letters, digits, _)");

const common = {
  title: z.string().max(100).optional(),
  description: z.string().max(500).optional(),
};

export const inputPropertySchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("string"),
    ...common,
    default: z.string().max(10_000).optional(),
    enum: z.array(z.string().max(200)).min(1).max(50).optional(),
    maxLength: z.number().int().min(1).max(1_000_000).optional(),
    format: z.enum(["textarea"]).optional().describe("Ours: render a multi-line field"),
  }),
  z.strictObject({
    type: z.enum(["number", "integer"]),
    ...common,
    default: z.number().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
  }),
  z.strictObject({ type: z.literal("boolean"), ...common, default: z.boolean().optional() }),
  z.strictObject({
    type: z.literal("array"),
    ...common,
    items: z.strictObject({ type: z.enum(["string", "object"]) }).optional(),
  }),
  z.strictObject({ type: z.literal("object"), ...common }),
]);
export type InputProperty = z.infer<typeof inputPropertySchema>;

export const inputSchemaSchema = z
  .strictObject({
    $schema: z.string().max(200).optional(),
    type: z.literal("object"),
    title: z.string().max(100).optional(),
    description: z.string().max(1000).optional(),
    properties: z
      .record(propertyName, inputPropertySchema)
      .refine((p) => Object.keys(p).length <= 50, "at most 50 properties"),
    required: z.array(propertyName).max(50).optional(),
    additionalProperties: z.boolean().optional(),
  })
  .refine((s) => (s.required ?? []).every((name) => name in s.properties), {
    message: "every name in required must be a property",
    path: ["required"],
  })
  .describe(
    "JSON Schema (type object) of the execution's input parameters; the run form is generated from it. Properties " +
      "may be string (enum, maxLength, format textarea), number, integer (minimum, maximum), boolean, array " +
      "(items string or object) or object.",
  );
export type InputSchema = z.infer<typeof inputSchemaSchema>;

/**
 * A service's `required_inputs` from an agent's declared input: its required properties, each as the service's
 * simpler type (integer is a number). What a hire must send so that the agent's run can succeed.
 */
export function requiredInputsFrom(schema: InputSchema): {
  name: string;
  type: "string" | "number" | "boolean" | "object" | "array";
  description?: string;
}[] {
  return (schema.required ?? []).flatMap((name) => {
    const p = schema.properties[name];
    if (!p) return [];
    const type = p.type === "integer" ? "number" : p.type;
    return [{ name, type, ...(p.description ? { description: p.description } : {}) }];
  });
}
