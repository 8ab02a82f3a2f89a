import { describe, expect, it } from "vitest";
import { ApiClientError } from "./api";
import { checkValue, checkValues, formErrors, plainMessage } from "./form-errors";
import { AGENT_RULES, SERVICE_RULES, SIGNUP_RULES, TOP_UP_RULES } from "./form-rules";

const refused = (fields: Record<string, string>, message = "Invalid request") =>
  new ApiClientError(400, "ValidationError", message, { fields });

describe("plain words for the API's field messages", () => {
  const cases: [string, Parameters<typeof plainMessage>[0], string, string][] = [
    // A price's range in dollars, not zod's bound.
    [
      "price too big",
      SERVICE_RULES.price_usd,
      "Too big: expected number to be <=1000000",
      "Price must be between $0.01 and $1,000,000",
    ],
    [
      "price too small",
      SERVICE_RULES.price_usd,
      "Too small: expected number to be >=0.01",
      "Price must be between $0.01 and $1,000,000",
    ],
    // Characters of text are counted, and an empty required field is required.
    [
      "name too long",
      AGENT_RULES.name,
      "Too big: expected string to have <=100 characters",
      "Name must be at most 100 characters",
    ],
    ["name empty", AGENT_RULES.name, "Too small: expected string to have >=1 characters", "Name is required"],
    [
      "password too short",
      SIGNUP_RULES.password,
      "must be at least 10 characters",
      "Password must be at least 10 characters",
    ],
    // A number asked for when it got something else; our own sentences kept whole.
    ["not a number", SERVICE_RULES.price_usd, "Invalid input: expected number, received string", "Enter a number"],
    ["our own sentence", SERVICE_RULES.price_usd, "must have at most 2 decimals", "Price must have at most 2 decimals"],
    [
      "a pattern",
      SERVICE_RULES.output_type,
      "Invalid string: must match pattern /x/",
      "Use a word or a media type, like text, json or image/png",
    ],
  ];
  it.each(cases)("%s", (_, rule, message, plain) => {
    expect(plainMessage(rule, message)).toBe(plain);
  });
});

describe("an API error as the fields of a form", () => {
  it("puts each message next to its field once, and nothing above the button when every field took one", () => {
    const out = formErrors(
      refused({ price_usd: "Too big: expected number to be <=1000000", "capabilities_required.2": "Too big: x" }),
      SERVICE_RULES,
    );
    expect(out.fields).toEqual({
      price_usd: "Price must be between $0.01 and $1,000,000",
      capabilities_required: "Each entry of capabilities required must be at most 50 characters",
    });
    expect(out.form).toBeNull();
  });

  it("leaves the API's message for the form when a field has no place, or there are no fields", () => {
    expect(formErrors(refused({ agent_id: "Invalid UUID" }, "agent_id: Invalid UUID"), SERVICE_RULES).form).toBe(
      "agent_id: Invalid UUID",
    );
    const conflict = new ApiClientError(409, "ConflictError", "The agent is retired");
    expect(formErrors(conflict, SERVICE_RULES)).toEqual({ fields: {}, form: "The agent is retired" });
    expect(formErrors(new TypeError("fetch failed"), SERVICE_RULES).form).toMatch(/Could not reach the server/);
  });
});

describe("checking a field before sending", () => {
  it("says 'Enter a number' for text in a number field, and the range for numbers outside it", () => {
    expect(checkValue(SERVICE_RULES.price_usd, "abc")).toBe("Enter a number");
    expect(checkValue(SERVICE_RULES.price_usd, "2000000")).toBe("Price must be between $0.01 and $1,000,000");
    expect(checkValue(SERVICE_RULES.price_usd, "19.999")).toBe("Price must be in whole cents (at most 2 decimals)");
    expect(checkValue(SERVICE_RULES.price_usd, "$1,250.50")).toBeNull();
    expect(checkValue(TOP_UP_RULES.amount, "20000")).toBe("Amount must be between $0.01 and $10,000");
  });

  it("checks required fields, lengths, lists, emails and patterns", () => {
    expect(checkValue(AGENT_RULES.name, "   ")).toBe("Name is required");
    expect(checkValue(AGENT_RULES.name, "x".repeat(101))).toBe("Name must be at most 100 characters");
    expect(checkValue(AGENT_RULES.capabilities, `ok, ${"y".repeat(51)}`)).toBe(
      "Each entry of capabilities must be at most 50 characters",
    );
    expect(checkValue(SIGNUP_RULES.email, "not-an-address")).toBe("Enter an email address, like name@example.com");
    expect(checkValue(SIGNUP_RULES.password, "short")).toBe("Password must be at least 10 characters");
    expect(checkValue(SERVICE_RULES.output_type, "no spaces")).toMatch(/media type/);
    expect(checkValue(AGENT_RULES.category, "")).toBeNull();
  });

  it("checks only the fields the form holds", () => {
    expect(checkValues(SERVICE_RULES, { name: "", price_usd: "5" })).toEqual({ name: "Name is required" });
  });
});
