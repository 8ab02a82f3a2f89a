import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * Encryption of agent secrets at rest: AES-256-GCM, a fresh 96-bit IV per value, the agent id and the
 * variable's name as associated data (a ciphertext copied onto another agent or name does not decrypt).
 * The key comes from SECRETS_KEY (32 bytes, base64 or hex). Development without one generates a random key on
 * first use and keeps it in SECRETS_KEY_FILE (under .data/); production refuses to use secrets without it.
 * Each ciphertext carries the id of its key (a hash prefix), so SECRETS_KEY_PREVIOUS keeps decrypting old values
 * while `npm run secrets:rotate` re-encrypts them under the current key.
 */

export interface SecretKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  current: SecretKey;
  previous: SecretKey | null;
}

export class SecretsConfigError extends Error {
  override readonly name = "SecretsConfigError";
}

const VERSION = "v1";

export function parseKey(value: string, variable: string): SecretKey {
  const v = value.trim();
  const hex = /^[0-9a-fA-F]{64}$/.test(v);
  const key = hex ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
  if (key.length !== 32 || (!hex && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(v))) {
    throw new SecretsConfigError(`${variable} must be 32 bytes, as base64 or hex`);
  }
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 16), key };
}

/** Reads (or creates, once, with mode 0600) the development key file. Concurrent first starts agree on one key. */
export function devKey(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
    log().warn({ file }, "no SECRETS_KEY: generated a development key (set SECRETS_KEY in production)");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return fs.readFileSync(file, "utf8").trim();
}

let cached: { sig: string; ring: KeyRing } | undefined;

export function keyRing(): KeyRing {
  const e = env();
  const sig = [e.NODE_ENV, e.SECRETS_KEY ?? "", e.SECRETS_KEY_PREVIOUS ?? "", e.SECRETS_KEY_FILE].join("|");
  if (cached?.sig === sig) return cached.ring;
  let current: SecretKey;
  if (e.SECRETS_KEY) current = parseKey(e.SECRETS_KEY, "SECRETS_KEY");
  else if (e.NODE_ENV === "production") {
    throw new SecretsConfigError("SECRETS_KEY is required in production to store or use agent secrets");
  } else current = parseKey(devKey(path.resolve(e.SECRETS_KEY_FILE)), e.SECRETS_KEY_FILE);
  const previous = e.SECRETS_KEY_PREVIOUS ? parseKey(e.SECRETS_KEY_PREVIOUS, "SECRETS_KEY_PREVIOUS") : null;
  const ring = { current, previous: previous && previous.id !== current.id ? previous : null };
  cached = { sig, ring };
  return ring;
}

const aad = (agentId: string, name: string) => Buffer.from(`agent-secret:${agentId}:${name}`, "utf8");

export function encryptSecret(
  agentId: string,
  name: string,
  value: string,
  ring: KeyRing = keyRing(),
): { ciphertext: string; keyId: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(aad(agentId, name));
  const ct = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  const blob = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64");
  return { ciphertext: `${VERSION}:${blob}`, keyId: ring.current.id };
}

export function decryptSecret(
  agentId: string,
  name: string,
  stored: { ciphertext: string; keyId: string },
  ring: KeyRing = keyRing(),
): string {
  const key = [ring.current, ring.previous].find((k) => k?.id === stored.keyId);
  if (!key) {
    throw new SecretsConfigError(
      `secret ${name} is encrypted under key ${stored.keyId}, which is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS`,
    );
  }
  const [version, blob] = stored.ciphertext.split(":");
  if (version !== VERSION || !blob) throw new SecretsConfigError(`secret ${name} has an unknown format`);
  const raw = Buffer.from(blob, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, 12));
  decipher.setAAD(aad(agentId, name));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** What the owner sees of a value: never more than its last 4 characters, and nothing of a short one. */
export function maskOf(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : "••••";
}
