import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { setTestEnv } from "@/test/fixtures/runtime";
import { decryptSecret, encryptSecret, keyRing, maskOf, parseKey, SecretsConfigError } from "./crypto";

const dirs: string[] = [];
const tmpFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-market-key-"));
  dirs.push(dir);
  return path.join(dir, "nested", "secrets.key");
};

afterEach(() => {
  setTestEnv({
    NODE_ENV: "test",
    SECRETS_KEY: undefined,
    SECRETS_KEY_PREVIOUS: undefined,
    SECRETS_KEY_FILE: undefined,
  });
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("secrets crypto", () => {
  it("accepts 32-byte keys as base64 or hex, refuses anything else", () => {
    const raw = randomBytes(32);
    expect(parseKey(raw.toString("base64"), "K").key.equals(raw)).toBe(true);
    expect(parseKey(raw.toString("hex"), "K").key.equals(raw)).toBe(true);
    expect(parseKey(raw.toString("hex"), "K").id).toBe(parseKey(raw.toString("base64"), "K").id);
    for (const bad of ["short", randomBytes(16).toString("base64"), randomBytes(33).toString("hex"), "dev-secret"]) {
      expect(() => parseKey(bad, "SECRETS_KEY"), bad).toThrow(SecretsConfigError);
    }
  });

  it("AES-256-GCM: round trip, a fresh IV each time, tampering and another agent or name detected", () => {
    setTestEnv({ SECRETS_KEY: randomBytes(32).toString("base64") });
    const a = encryptSecret("agent-1", "TOKEN", "hunter2-very-secret");
    const b = encryptSecret("agent-1", "TOKEN", "hunter2-very-secret");
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain("hunter2");
    expect(decryptSecret("agent-1", "TOKEN", a)).toBe("hunter2-very-secret");
    expect(() => decryptSecret("agent-2", "TOKEN", a)).toThrow();
    expect(() => decryptSecret("agent-1", "OTHER", a)).toThrow();
    const raw = Buffer.from(a.ciphertext.slice(3), "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => decryptSecret("agent-1", "TOKEN", { ...a, ciphertext: `v1:${raw.toString("base64")}` })).toThrow();
  });

  it("development without a key generates one on first use, keeps it (0600) and reuses it", () => {
    const file = tmpFile();
    setTestEnv({ NODE_ENV: "development", SECRETS_KEY: undefined, SECRETS_KEY_FILE: file });
    const first = keyRing().current;
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const sealed = encryptSecret("a", "N", "value-kept-across-restarts");
    setTestEnv({ SECRETS_KEY_FILE: `${file}` }); // a "restart": the env is parsed again, the file read again
    expect(keyRing().current.id).toBe(first.id);
    expect(decryptSecret("a", "N", sealed)).toBe("value-kept-across-restarts");
    // Another fresh place gets another random key: no constant in the source.
    setTestEnv({ SECRETS_KEY_FILE: tmpFile() });
    expect(keyRing().current.id).not.toBe(first.id);
  });

  it("production refuses to use secrets without SECRETS_KEY", () => {
    setTestEnv({ NODE_ENV: "production", SECRETS_KEY: undefined, SECRETS_KEY_FILE: tmpFile() });
    expect(() => keyRing()).toThrow(/SECRETS_KEY is required in production/);
  });

  it("the previous key still decrypts during a rotation; a value under an unknown key says which", () => {
    const oldKey = randomBytes(32).toString("base64");
    setTestEnv({ SECRETS_KEY: oldKey });
    const sealed = encryptSecret("a", "N", "v");
    setTestEnv({ SECRETS_KEY: randomBytes(32).toString("base64"), SECRETS_KEY_PREVIOUS: oldKey });
    expect(decryptSecret("a", "N", sealed)).toBe("v");
    setTestEnv({ SECRETS_KEY_PREVIOUS: undefined });
    expect(() => decryptSecret("a", "N", sealed)).toThrow(new RegExp(sealed.keyId));
  });

  it("masks show at most the last 4 characters, none of short values", () => {
    expect(maskOf("sk-live-0123456789abcdef")).toBe("••••cdef");
    expect(maskOf("short-value")).toBe("••••");
  });
});
