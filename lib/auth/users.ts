import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { messages, users } from "@/db/schema";
import type { changePasswordBody, signupBody, signupResponse, userSchema } from "@/lib/api/contracts/auth";
import { badRequest, conflict, forbidden, notFound } from "@/lib/api/errors";
import { inTransaction } from "@/lib/db";
import { checkPasswordStrength } from "./password-strength";
import { hashPassword, verifyPassword } from "./passwords";

export type UserJson = z.infer<typeof userSchema>;
type UserRow = typeof users.$inferSelect;

export function userJson(row: UserRow): UserJson {
  return { id: row.id, email: row.email, name: row.name, created_at: row.createdAt.toISOString() };
}

/** A new password must pass the strength rules (lib/auth/password-strength.ts); 400 naming `field` otherwise. */
function assertStrongPassword(field: string, password: string, userInputs: string[]): void {
  const verdict = checkPasswordStrength(password, userInputs);
  if (!verdict.ok) {
    throw badRequest(`${field} ${verdict.message}`, { fields: { [field]: verdict.message }, score: verdict.score });
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/**
 * Creates an account as given, for the demo seed (its well-known demo password is deliberately weak and
 * documented). Not for requests: they go through `signUp`, which checks the password and does not tell whether
 * the address was taken.
 */
export async function createAccount(input: { email: string; name: string; password: string }): Promise<UserJson> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const email = input.email.trim().toLowerCase();
    const [row] = await db.insert(users).values({ email, name: input.name, passwordHash }).returning();
    return userJson(row!);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("An account with this email already exists");
    throw err;
  }
}

export const SIGNUP_ANSWER =
  "If this email address was new, the account is ready: sign in with it. If it already had an account, " +
  "nothing changed and its owner has been told in their inbox.";

const NOTICE_SUBJECT = "Someone tried to create an account with your email address";
const NOTICE_BODY =
  "A sign-up for Agent Market was just attempted with the email address of this account. Your account, its " +
  "password and its agents are unchanged, and nobody was signed in. If it was you, sign in with your existing " +
  "password (or with GitHub) instead. If it was not you, there is nothing to do; if you see this often, choose a " +
  "strong password (Settings) and keep it to yourself.";

/**
 * Creates a person's account. The answer is the same whether the email was new or already registered, so
 * sign-up cannot be used to find out who has an account; the existing account's owner gets a notice in their
 * inbox instead (the email-equivalent: people have no email sent by this app). Both cases hash the password and
 * run the same two statements, so their timing matches too. The email is compared case-insensitively (the
 * contract lower-cases it).
 */
export async function signUp(input: z.infer<typeof signupBody>): Promise<z.infer<typeof signupResponse>> {
  assertStrongPassword("password", input.password, [input.email, input.name]);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(async (tx) => {
    const created = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    const newId = created[0]?.id;
    // One statement either way: it writes the notice only when an older account holds the address.
    await tx.execute(sql`
      INSERT INTO ${messages} (recipient_user_id, kind, subject, body)
      SELECT ${users.id}, 'system', ${NOTICE_SUBJECT}, ${NOTICE_BODY} FROM ${users}
      WHERE ${users.email} = ${input.email} AND ${users.id} IS DISTINCT FROM ${newId ?? null}::uuid`);
  });
  return { email: input.email, message: SIGNUP_ANSWER };
}

// Compared against when the email is unknown, so that a miss costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** A person as the sign-in callbacks need them: the profile plus the session version to put in the JWT. */
export type SignedInUser = UserJson & { sessionVersion: number };

/** The user whose email and password match, or null. */
export async function verifyCredentials(email: string, password: string): Promise<SignedInUser | null> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  if (!row?.passwordHash) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  return (await verifyPassword(password, row.passwordHash))
    ? { ...userJson(row), sessionVersion: row.sessionVersion }
    : null;
}

/** The current session version of a user (null when the user is gone). */
export async function getSessionVersion(userId: string): Promise<number | null> {
  const db = await getDb();
  const [row] = await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId)).limit(1);
  return row ? row.v : null;
}

/**
 * Ends every session issued under `fromVersion` (sign-out). Conditional on the version, so a cookie that is
 * already stale cannot sign the person out of the sessions they opened since.
 */
export async function endSessions(userId: string, fromVersion: number): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.sessionVersion, fromVersion)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Changes a person's password after checking the current one (403 when wrong, 400 when the new one is weak),
 * and bumps the session version so that every other session ends. Returns the new version, for the caller to
 * issue this browser a fresh cookie. Conditional on the old hash: of two racing changes, exactly one wins (409).
 */
export async function changePassword(
  userId: string,
  input: z.infer<typeof changePasswordBody>,
): Promise<{ user: UserJson; sessionVersion: number }> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw notFound("User");
  if (!row.passwordHash) {
    throw forbidden("This account signs in with GitHub and has no password to change");
  }
  if (!(await verifyPassword(input.current_password, row.passwordHash))) {
    throw forbidden("current_password is not this account's password", {
      fields: { current_password: "is not this account's password" },
    });
  }
  if (input.new_password === input.current_password) {
    throw badRequest("new_password must differ from the current password", {
      fields: { new_password: "must differ from the current password" },
    });
  }
  assertStrongPassword("new_password", input.new_password, [row.email, row.name]);
  const passwordHash = await hashPassword(input.new_password);
  const [updated] = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.passwordHash, row.passwordHash)))
    .returning();
  if (!updated) throw conflict("The password was changed by another request meanwhile; sign in again");
  return { user: userJson(updated), sessionVersion: updated.sessionVersion };
}

/** Changes a person's display name (already trimmed and bounded by the contract). */
export async function renameUser(userId: string, name: string): Promise<UserJson> {
  const db = await getDb();
  const [row] = await db.update(users).set({ name }).where(eq(users.id, userId)).returning();
  if (!row) throw notFound("User");
  return userJson(row);
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
}): Promise<SignedInUser> {
  const db = await getDb();
  const [byGithub] = await db.select().from(users).where(eq(users.githubId, input.githubId)).limit(1);
  if (byGithub) return { ...userJson(byGithub), sessionVersion: byGithub.sessionVersion };
  const email = (input.email ?? `${input.githubId}@users.noreply.github.com`).toLowerCase();
  const [row] = await db
    .insert(users)
    .values({ email, name: input.name, githubId: input.githubId })
    .onConflictDoUpdate({ target: users.email, set: { githubId: sql`excluded.github_id` } })
    .returning();
  return { ...userJson(row!), sessionVersion: row!.sessionVersion };
}
