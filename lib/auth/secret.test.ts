import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import {
  authSecret,
  DEV_SECRET_FILE,
  loadOrCreateSecretFile,
  MissingAuthSecretError,
} from "./secret";

const saved = { ...process.env };
const cwd = process.cwd();
let dir: string;

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadEnv();
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-secret-"));
});

afterEach(() => {
  process.chdir(cwd);
  for (const k of ["NODE_ENV", "NEXTAUTH_SECRET", "NEXT_PHASE", "NEXT_RUNTIME"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  reloadEnv();
  fs.rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe("the session secret", () => {
  it("is generated once per checkout, private to its owner, and kept across restarts", () => {
    const file = path.join(dir, ".data", "nextauth-secret");
    const first = loadOrCreateSecretFile(file);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first);
    // A restart reads the same one; no temporary files are left behind.
    expect(loadOrCreateSecretFile(file)).toBe(first);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["nextauth-secret"]);
    // Another checkout gets its own: there is no shared default anyone could know.
    expect(loadOrCreateSecretFile(path.join(dir, "other", "nextauth-secret"))).not.toBe(first);
  });

  it("in development without NEXTAUTH_SECRET comes from .data/nextauth-secret under the working directory", () => {
    process.chdir(dir);
    setEnv({ NODE_ENV: "development", NEXTAUTH_SECRET: undefined });
    const secret = authSecret();
    expect(fs.readFileSync(path.join(dir, DEV_SECRET_FILE), "utf8").trim()).toBe(secret);
    expect(fs.statSync(path.join(dir, DEV_SECRET_FILE)).mode & 0o777).toBe(0o600);
  });

  it("uses NEXTAUTH_SECRET when set, and writes no file", () => {
    process.chdir(dir);
    setEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "an-operator-chosen-secret-0123456789" });
    expect(authSecret()).toBe("an-operator-chosen-secret-0123456789");
    expect(fs.existsSync(path.join(dir, DEV_SECRET_FILE))).toBe(false);
  });

  it("refuses to run in production without NEXTAUTH_SECRET, and says what to do", () => {
    process.chdir(dir);
    setEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: undefined });
    expect(() => authSecret()).toThrow(MissingAuthSecretError);
    expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET must be set in production/);
    expect(fs.existsSync(path.join(dir, DEV_SECRET_FILE))).toBe(false);
    // `next build` may evaluate modules: it gets a throwaway value, never persisted.
    setEnv({ NEXT_PHASE: "phase-production-build" });
    expect(authSecret()).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.existsSync(path.join(dir, DEV_SECRET_FILE))).toBe(false);
  });

  it("stops a production server at start when the secret is missing", async () => {
    process.chdir(dir);
    setEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: undefined, NEXT_RUNTIME: "nodejs" });
    const exited = new Error("process.exit");
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw exited;
    });
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { register } = await import("@/instrumentation");
    await expect(register()).rejects.toBe(exited);
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(error.mock.calls[0]?.[0])).toMatch(/NEXTAUTH_SECRET must be set in production/);
  });
});
