import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { resolvePrincipal } from "@/lib/auth/resolve";
import { getUser, type UserJson } from "@/lib/auth/users";

/**
 * What server components need to call the domain verbs directly, as the route handlers do: the visitor resolved
 * from their cookies exactly as the API resolves a request (lib/auth/resolve.ts), the API's checks on ids and
 * queries, and a 404 turned into null for pages that call notFound().
 */

/** The visitor as the API would see them (a current next-auth session), or null when signed out. */
export async function viewer(): Promise<Principal | null> {
  const cookie = (await cookies()).toString();
  if (!cookie) return null;
  // A GET of our own: the CSRF check (state changes only) does not apply, and no API key is presented.
  return resolvePrincipal(new Request("http://local/", { headers: { cookie } }));
}

/** The signed-in person, or null. */
export async function currentUser(): Promise<UserJson | null> {
  const principal = await viewer();
  return principal?.kind === "user" ? getUser(principal.userId) : null;
}

/** For pages that need an account: sends the visitor to sign in and back to `path`. */
export async function requireUser(path: string): Promise<UserJson> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}

/** Like requireUser, for pages that call domain verbs in the person's name: their principal. */
export async function requireViewer(path: string): Promise<Principal> {
  const principal = await viewer();
  if (principal?.kind !== "user") redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return principal;
}

/**
 * The value, or null when the domain answers 404 (what the API would send as NotFoundError), or one of `statuses`
 * (an owner-only page passes 403 too: to anyone else it does not exist).
 */
export async function orNull<T>(p: Promise<T>, statuses: readonly number[] = [404]): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && statuses.includes(err.status)) return null;
    throw err;
  }
}

/** A query checked with the route's own schema: the parsed value, or the message the API's 400 would carry. */
export function checkQuery<S extends z.ZodType>(
  schema: S,
  raw: Record<string, unknown>,
): { ok: true; query: z.infer<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue?.path.join(".");
  return { ok: false, message: issue ? (at ? `${at}: ${issue.message}` : issue.message) : "Invalid request" };
}
