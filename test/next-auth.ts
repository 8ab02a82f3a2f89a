import { createRequire } from "node:module";
import path from "node:path";
import type { NextAuthOptions } from "next-auth";

/**
 * A browser talking to next-auth's own endpoints (csrf, credentials sign-in, sign-out) with our real options.
 * next-auth's route handler for the App Router reads next/headers, which only exists inside a Next request, so
 * this drives next-auth's core handler (what that route handler calls) with the same request. The package does
 * not export its core, hence the file path.
 */
type Cookie = { name: string; value: string; options?: { maxAge?: number; expires?: Date } };
type AuthResponse = { status?: number; body?: unknown; redirect?: string; cookies?: Cookie[] };
const require = createRequire(import.meta.url);
const { AuthHandler } = require(path.resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler: (p: { req: Request; options: NextAuthOptions }) => Promise<AuthResponse>;
};

export class AuthBrowser {
  readonly jar = new Map<string, string>();

  constructor(private readonly options: () => NextAuthOptions) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** The session cookie next-auth set, as `Cookie` header value; null when signed out. */
  sessionCookie(): string | null {
    const value = this.jar.get("next-auth.session-token");
    return value ? `next-auth.session-token=${value}` : null;
  }

  private async send(action: string, body?: Record<string, string>): Promise<AuthResponse> {
    const req = new Request(`http://localhost/api/auth/${action}`, {
      method: body ? "POST" : "GET",
      headers: { host: "localhost", cookie: this.cookieHeader(), "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    const res = await AuthHandler({ req, options: this.options() });
    for (const c of res.cookies ?? []) {
      const expired =
        c.value === "" || c.options?.maxAge === 0 || (c.options?.expires && +c.options.expires <= Date.now());
      if (expired) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }

  private async csrfToken(): Promise<string> {
    const res = await this.send("csrf");
    return (res.body as { csrfToken: string }).csrfToken;
  }

  async signIn(email: string, password: string, callbackUrl = "/"): Promise<AuthResponse> {
    const csrfToken = await this.csrfToken();
    return this.send("callback/credentials", { email, password, csrfToken, json: "true", callbackUrl });
  }

  async signOut(): Promise<AuthResponse> {
    const csrfToken = await this.csrfToken();
    return this.send("signout", { csrfToken, json: "true" });
  }

  async session(): Promise<AuthResponse> {
    return this.send("session");
  }
}
