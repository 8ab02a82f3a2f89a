import { describe, expect, it } from "vitest";
import { ApiClientError } from "./api";
import { checkValue, checkValues, formErrors, plainMessage } from "./form-errors";
import { AGENT_RULES, SERVICE_RULES, SIGNUP_RULES, TOP_UP_RULES } from "./form-rules";

const refused = (fields: Record<string, string>, message = "Invalid request") =>
  new ApiClientError(400, "ValidationError", message, { fields });

describe("plain words for the API's field messages", () => {
  it("says a price's range in dollars, not zod's bound", () => {
    expect(plainMessage(SERVICE_RULES.price_usd, "Too big: expected number to be <=1000000")).toBe(
      "Price must be between $0.01 and $1,000,000",
    );
    expect(plainMessage(SERVICE_RULES.price_usd, "Too small: expected number to be >=0.01")).toBe(
      "Price must be between $0.01 and $1,000,000",
    );
  });

  it("counts characters of text, and says an empty required field is required", () => {
    expect(plainMessage(AGENT_RULES.name, "Too big: expected string to have <=100 characters")).toBe(
      "Name must be at most 100 characters",
    );
    expect(plainMessage(AGENT_RULES.name, "Too small: expected string to have >=1 characters")).toBe(
      "Name is required",
    );
    expect(plainMessage(SIGNUP_RULES.password, "must be at least 10 characters")).toBe(
      "Password must be at least 10 characters",
    );
  });

  it("asks for a number when it got something else, and keeps our own sentences whole", () => {
    expect(plainMessage(SERVICE_RULES.price_usd, "Invalid input: expected number, received string")).toBe(
      "Enter a number",
    );
    expect(plainMessage(SERVICE_RULES.price_usd, "must have at most 2 decimals")).toBe(
      "Price must have at most 2 decimals",
    );
    expect(plainMessage(SERVICE_RULES.output_type, "Invalid string: must match pattern /x/")).toBe(
      "Use a word or a media type, like text, json or image/png",
    );
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
