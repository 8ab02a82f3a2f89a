import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "agmkt_sk_";

/** `agmkt_sk_` + 32 random bytes in base64url (43 chars). Shown once; only the hash is stored. */
export function generateApiKey(): { key: string; hash: string; suffix: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, hash: hashApiKey(key), suffix: key.slice(-4) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX) && value.length >= API_KEY_PREFIX.length + 32 && value.length <= 200;
}
