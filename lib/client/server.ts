import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionUserId } from "@/lib/auth/session";
import { getUser, type UserJson } from "@/lib/auth/users";
import { ApiClientError, errorFrom, withQuery, type QueryValue } from "./api";

/**
 * Server components read the API the way the browser does: an HTTP request to this app's own route handlers,
 * with the visitor's cookies, so a page shows exactly what the API lets that person see.
 */
async function origin(): Promise<string> {
  const h = await headers();
  const host = h.get("host") ?? `127.0.0.1:${process.env.PORT ?? 3000}`;
  // Always loopback http: the request never leaves this machine, whatever proxy is in front.
  const port = host.includes(":") ? host.split(":").pop() : (process.env.PORT ?? "3000");
  return `http://127.0.0.1:${port}`;
}

export async function serverApi<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
  const cookie = (await cookies()).toString();
  const res = await fetch(`${await origin()}${withQuery(path, query)}`, {
    headers: { accept: "application/json", ...(cookie ? { cookie } : {}) },
    cache: "no-store",
  });
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

/** Like serverApi but a 404 gives null (for pages that call notFound()). */
export async function serverApiOrNull<T>(path: string, query?: Record<string, QueryValue>): Promise<T | null> {
  try {
    return await serverApi<T>(path, query);
  } catch (err) {
    if (err instanceof ApiClientError && err.status === 404) return null;
    throw err;
  }
}

/** The signed-in person, from the next-auth JWT cookie (the same check the API makes), or null. */
export async function currentUser(): Promise<UserJson | null> {
  const cookie = (await cookies()).toString();
  if (!cookie) return null;
  const userId = await getSessionUserId(new Request("http://local/", { headers: { cookie } }));
  return userId ? getUser(userId) : null;
}

/** For pages that need an account: sends the visitor to sign in and back to `path`. */
export async function requireUser(path: string): Promise<UserJson> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}
