import { describe, expect, it } from "vitest";
import { MIN_PASSWORD_LENGTH } from "@/lib/api/contracts/auth";
import { checkPasswordStrength } from "./password-strength";

describe("checkPasswordStrength", () => {
  it("refuses passwords shorter than the minimum, however random", () => {
    const v = checkPasswordStrength("x7#Qp!9z");
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toBe(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  });

  it("refuses common and predictable passwords of sufficient length, and says why", () => {
    for (const weak of ["password1234", "password-123", "qwertyuiop12", "iloveyou2024", "aaaaaaaaaaaa", "1234567890"]) {
      const v = checkPasswordStrength(weak);
      expect(v.ok, weak).toBe(false);
      expect(!v.ok && v.message, weak).toMatch(/^is too easy to guess\. \S/);
    }
    const common = checkPasswordStrength("password1234");
    expect(!common.ok && common.message).toContain("commonly used password");
  });

  it("refuses a password made of the person's own email or name", () => {
    const email = "ada.lovelace@example.com";
    expect(checkPasswordStrength("adalovelace1", [email, "Ada Lovelace"]).ok).toBe(false);
    expect(checkPasswordStrength(email, [email]).ok).toBe(false);
  });

  it("accepts long, uncommon passphrases", () => {
    for (const strong of ["correct horse battery", "kestrel-harbour-71", "Tr0ub4dor&3x!", "pw-lx8abc12-secret"]) {
      expect(checkPasswordStrength(strong, ["someone@example.com"]).ok, strong).toBe(true);
    }
  });
});
