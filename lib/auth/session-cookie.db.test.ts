import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/me/route";
import { POST as changePasswordRoute } from "@/app/api/me/password/route";
import { users } from "@/db/schema";
import { clearRateLimits } from "@/test/fixtures/rate-limits";
import { createAccount } from "@/lib/auth/users";
import { createAgent, sessionHeaders } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { AuthBrowser } from "@/test/next-auth";
import { authOptions } from "./options";
import { authSecret } from "./session-cookie";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

let n = 0;
async function person(password = "kestrel-harbour-71") {
  const email = `p${++n}-${Date.now()}@example.test`;
  const user = await createAccount({ email, name: `Person ${n}`, password });
  return { ...user, email, password };
}

const me = (cookie: string) => call(getMe, "/api/me", { headers: { cookie } });

describe("sessions end on the server", () => {
  beforeEach(() => clearRateLimits());

  it("a cookie from next-auth's sign-in works until sign-out, and a copy of it stops working then", async () => {
    const p = await person();
    const browser = new AuthBrowser(authOptions);
    const signedIn = await browser.signIn(p.email, p.password);
    expect(signedIn.redirect ?? "").not.toContain("error");
    const cookie = browser.sessionCookie();
    expect(cookie).not.toBeNull();
    const copied = cookie!;
    expect((await me(copied)).body.user.id).toBe(p.id);

    await browser.signOut();
    expect(browser.sessionCookie()).toBeNull();
    // The copy someone kept is refused, on every route that reads the session.
    expect((await me(copied)).status).toBe(401);
    // next-auth's own session endpoint does not renew it either.
    const stale = new AuthBrowser(authOptions);
    stale.jar.set("next-auth.session-token", copied.split("=")[1]!);
    expect(await stale.session().then((r) => r.body)).toEqual({});

    // Signing in again gives a working session.
    await browser.signIn(p.email, p.password);
    expect((await me(browser.sessionCookie()!)).status).toBe(200);
  });

  it("signing out with an already-ended cookie does not end the sessions opened since", async () => {
    const p = await person();
    const first = new AuthBrowser(authOptions);
    await first.signIn(p.email, p.password);
    const old = first.sessionCookie()!;
    await first.signOut();
    const second = new AuthBrowser(authOptions);
    await second.signIn(p.email, p.password);
    const replay = new AuthBrowser(authOptions);
    replay.jar.set("next-auth.session-token", old.split("=")[1]!);
    await replay.signOut();
    expect((await me(second.sessionCookie()!)).status).toBe(200);
  });

  it("after sign-in, next-auth redirects only to paths on this site", async () => {
    const p = await person();
    // Without NEXTAUTH_URL, next-auth's base URL is http://localhost:3000.
    const app = "http://localhost:3000";
    const cases: [string, string][] = [
      ["/jobs/1?tab=messages", "/jobs/1?tab=messages"],
      [`${app}/settings`, "/settings"],
      ["https://evil.example/phish", "/"],
      ["//evil.example", "/"],
      ["/\\evil.example", "/"],
      ["/%5Cevil.example", "/"],
      ["/\t/evil.example", "/"],
    ];
    for (const [callbackUrl, path] of cases) {
      const browser = new AuthBrowser(authOptions);
      const res = await browser.signIn(p.email, p.password, callbackUrl);
      expect(res.redirect, callbackUrl).toBe(`${app}${path}`);
      expect(browser.sessionCookie()).not.toBeNull();
    }
  });

  it("refuses a validly signed token that carries no session version", async () => {
    const p = await person();
    const token = await encode({ token: { sub: p.id }, secret: authSecret() });
    expect((await me(`next-auth.session-token=${token}`)).status).toBe(401);
    const versioned = await encode({ token: { sub: p.id, sv: 0 }, secret: authSecret() });
    expect((await me(`next-auth.session-token=${versioned}`)).status).toBe(200);
  });
});

describe("POST /api/me/password", () => {
  beforeEach(() => clearRateLimits());

  async function change(headers: Record<string, string>, body: Record<string, unknown>) {
    return call(changePasswordRoute, "/api/me/password", { headers, body });
  }

  it("changes the password, ends every other session and keeps this browser signed in", async () => {
    const p = await person();
    const here = new AuthBrowser(authOptions);
    const elsewhere = new AuthBrowser(authOptions);
    await here.signIn(p.email, p.password);
    await elsewhere.signIn(p.email, p.password);
    const headers = { cookie: here.sessionCookie()!, origin: "http://localhost" };

    const res = await change(headers, { current_password: p.password, new_password: "lighthouse-quill-2048" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { id: p.id, email: p.email }, other_sessions_ended: true });
    expect(JSON.stringify(res.body)).not.toContain("scrypt");

    // Both old cookies are dead; the one the answer set works.
    expect((await me(here.sessionCookie()!)).status).toBe(401);
    expect((await me(elsewhere.sessionCookie()!)).status).toBe(401);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^next-auth\.session-token=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const fresh = setCookie.split(";")[0]!;
    expect((await me(fresh)).body.user.id).toBe(p.id);

    // The new password signs in, the old one does not.
    const again = new AuthBrowser(authOptions);
    await again.signIn(p.email, p.password);
    expect(again.sessionCookie()).toBeNull();
    await again.signIn(p.email, "lighthouse-quill-2048");
    expect(again.sessionCookie()).not.toBeNull();
  });

  it("refuses a wrong current password (403), a weak or unchanged new one (400), and agents", async () => {
    const p = await person();
    const [row] = await db().select().from(users).where(eq(users.id, p.id));
    const headers = await sessionHeaders(row!);
    const wrong = await change(headers, { current_password: "not-my-password", new_password: "lighthouse-quill-2048" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.details.fields.current_password).toBeDefined();
    const weak = await change(headers, { current_password: p.password, new_password: "password1234" });
    expect(weak.status).toBe(400);
    expect(weak.body.details.fields.new_password).toMatch(/too easy to guess/);
    const short = await change(headers, { current_password: p.password, new_password: "Xy7!q" });
    expect(short.status).toBe(400);
    const same = await change(headers, { current_password: p.password, new_password: p.password });
    expect(same.status).toBe(400);
    // None of these changed anything: the session still works.
    expect((await call(getMe, "/api/me", { headers })).status).toBe(200);
    const unknown = await change(headers, { current_password: p.password, new_password: "x".repeat(12), extra: 1 });
    expect(unknown.status).toBe(400);
    // An agent has no password: its API key gets 403.
    const agent = await createAgent(db(), { ownerUserId: p.id });
    const body = { current_password: p.password, new_password: "lighthouse-quill-2048" };
    expect((await call(changePasswordRoute, "/api/me/password", { key: agent.key, body })).status).toBe(403);
  });
});
