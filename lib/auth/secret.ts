import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * The secret that signs and encrypts session cookies (next-auth JWTs). There is no default in the source: a
 * constant would let anyone who read the repository forge a session for any account.
 *
 * - `NEXTAUTH_SECRET` set: used as is.
 * - production without it: refuses to start (instrumentation.ts calls `assertAuthSecret` at boot).
 * - development and tests without it: a random secret is generated once and kept in `.data/nextauth-secret`
 *   (mode 0600), so sessions survive a restart and every process of this checkout agrees on it.
 */
export const DEV_SECRET_FILE = path.join(".data", "nextauth-secret");

/** Length of a generated secret: 32 random bytes, base64url. */
const SECRET_BYTES = 32;

export class MissingAuthSecretError extends Error {
  constructor() {
    super(
      "NEXTAUTH_SECRET must be set in production: it signs every session cookie. " +
        "Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
    this.name = "MissingAuthSecretError";
  }
}

function readSecret(file: string): string | null {
  try {
    const value = fs.readFileSync(file, "utf8").trim();
    return value.length >= 32 ? value : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * Reads the secret kept in `file`, creating it on first use. Several processes may start at once (vitest workers,
 * next's workers): the secret is written to a private temporary file and hard-linked into place, which fails if
 * another process got there first; everyone then reads the winner's, never a half-written file.
 */
export function loadOrCreateSecretFile(file: string): string {
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, `${secret}\n`, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const winner = readSecret(file);
    if (!winner) throw new Error(`${file} exists but holds no usable secret; delete it to generate a new one`);
    return winner;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The secret read from the development file, by the file's absolute path (a new working directory reads anew). */
let cached: { key: string; secret: string } | undefined;
let buildSecret: string | undefined;

/** The session secret (see the module comment). Throws MissingAuthSecretError in production without one. */
export function authSecret(): string {
  const e = env();
  if (e.NEXTAUTH_SECRET) return e.NEXTAUTH_SECRET;
  if (e.NODE_ENV === "production") {
    // `next build` may evaluate modules without serving anything: a throwaway secret that signs nothing real.
    // The server itself checks at start (assertAuthSecret).
    if (e.NEXT_PHASE === "phase-production-build") return (buildSecret ??= randomBytes(32).toString("hex"));
    throw new MissingAuthSecretError();
  }
  const file = path.resolve(DEV_SECRET_FILE);
  if (cached?.key !== file) cached = { key: file, secret: loadOrCreateSecretFile(file) };
  return cached.secret;
}

/** Called at server start so that a production server without a secret fails at once with the reason. */
export function assertAuthSecret(): void {
  authSecret();
}
