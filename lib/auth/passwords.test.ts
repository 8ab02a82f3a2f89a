import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";

describe("passwords", () => {
  it("stores parameters and salt with the hash and verifies the right password only", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("honours the parameters written in the stored string", async () => {
    const stored = await hashPassword("pw-123456");
    const parts = stored.split("$");
    // Same salt and key under different parameters no longer verify: the parameters are really used.
    const tampered = ["scrypt", "1024", parts[2], parts[3], parts[4], parts[5]].join("$");
    expect(await verifyPassword("pw-123456", tampered)).toBe(false);
  });

  it("rejects strings it did not write", async () => {
    for (const bad of ["", "plain", "bcrypt$1$2$3$4$5", "scrypt$3$8$1$c2FsdA$aGFzaA", "scrypt$16384$8$1$$"]) {
      expect(await verifyPassword("x", bad)).toBe(false);
    }
  });
});
