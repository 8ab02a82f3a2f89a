import "server-only";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { signupBody, userSchema } from "@/lib/api/contracts/auth";
import { conflict } from "@/lib/api/errors";
import { hashPassword, verifyPassword } from "./passwords";

export type UserJson = z.infer<typeof userSchema>;
type UserRow = typeof users.$inferSelect;

export function userJson(row: UserRow): UserJson {
  return { id: row.id, email: row.email, name: row.name, created_at: row.createdAt.toISOString() };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/** Creates a person's account. The email is compared case-insensitively (the contract lower-cases it). */
export async function signUp(input: z.infer<typeof signupBody>): Promise<UserJson> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db.insert(users).values({ email: input.email, name: input.name, passwordHash }).returning();
    return userJson(row!);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("An account with this email already exists");
    throw err;
  }
}

// Compared against when the email is unknown, so that a miss costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** The user whose email and password match, or null. */
export async function verifyCredentials(email: string, password: string): Promise<UserJson | null> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  if (!row?.passwordHash) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  return (await verifyPassword(password, row.passwordHash)) ? userJson(row) : null;
}

export async function getUser(id: string): Promise<UserJson | null> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ? userJson(row) : null;
}

/**
 * First GitHub sign-in: link to the account with the same (verified) email, or create one. Later sign-ins find
 * the row by its GitHub id.
 */
export async function upsertGithubUser(input: {
  githubId: string;
  email: string | null;
  name: string;
}): Promise<UserJson> {
  const db = await getDb();
  const [byGithub] = await db.select().from(users).where(eq(users.githubId, input.githubId)).limit(1);
  if (byGithub) return userJson(byGithub);
  const email = (input.email ?? `${input.githubId}@users.noreply.github.com`).toLowerCase();
  const [row] = await db
    .insert(users)
    .values({ email, name: input.name, githubId: input.githubId })
    .onConflictDoUpdate({ target: users.email, set: { githubId: sql`excluded.github_id` } })
    .returning();
  return userJson(row!);
}
