/**
 * Sign in and out against next-auth's own endpoints, without shipping next-auth/react to every page:
 * fetch the CSRF token, then post the form next-auth expects.
 */
async function csrfToken(): Promise<string> {
  const res = await fetch("/api/auth/csrf", { credentials: "same-origin", cache: "no-store" });
  const body = (await res.json()) as { csrfToken: string };
  return body.csrfToken;
}

async function post(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ ...fields, csrfToken: await csrfToken(), json: "true" }),
  });
}

export type SignInResult = { ok: true } | { ok: false; error: string; retryAfter?: number };

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  const res = await post("/api/auth/callback/credentials", { email, password, callbackUrl: "/" });
  if (res.status === 429) {
    return {
      ok: false,
      error: "Too many attempts. Wait a minute and try again.",
      retryAfter: Number(res.headers.get("retry-after")),
    };
  }
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  if (!res.ok || !body.url || new URL(body.url, location.origin).searchParams.has("error")) {
    return { ok: false, error: "Wrong email or password." };
  }
  return { ok: true };
}

export async function signOut(): Promise<void> {
  await post("/api/auth/signout", { callbackUrl: "/" });
}
