import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { authOptions } from "./options";

const saved = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = saved;
  reloadEnv();
});

describe("session cookies", () => {
  it("are Secure whenever the app is served over HTTPS", () => {
    process.env.NEXTAUTH_URL = "https://market.example.com";
    reloadEnv();
    expect(authOptions().useSecureCookies).toBe(true);
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    reloadEnv();
    expect(authOptions().useSecureCookies).toBe(false);
  });
});
