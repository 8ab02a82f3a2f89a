import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { env } from "@/lib/env";
import { safeCallbackUrl } from "./redirect";
import { authSecret } from "./secret";
import { SESSION_MAX_AGE_S } from "./session-cookie";
import { endSessions, getSessionVersion, upsertGithubUser, verifyCredentials } from "./users";
import { log } from "@/lib/log";

/** Thrown by the jwt callback for a session ended server-side; next-auth then clears the cookie. Expected. */
class SessionEndedError extends Error {
  override name = "SessionEndedError";
}

function isSessionEnded(metadata: unknown): boolean {
  const m = metadata as { name?: string; error?: { name?: string } } | undefined;
  return m?.name === "SessionEndedError" || m?.error?.name === "SessionEndedError";
}

/** What our callbacks put on next-auth's user object at sign-in, for the jwt callback. */
type SigningInUser = { id: string; sessionVersion?: number };

/**
 * next-auth: email and password (scrypt) plus GitHub when GITHUB_ID/GITHUB_SECRET are set. Sessions are JWTs whose
 * `sub` is users.id and whose `sv` is users.session_version at sign-in; lib/auth/session-cookie.ts reads the same cookie
 * for the API and accepts it only while the version is still the user's. Signing out bumps the version, so the
 * cookie (and any copy of it) stops working at once, not only in this browser.
 */
export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        const user = await verifyCredentials(credentials.email, credentials.password);
        return user ? { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } : null;
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  return {
    secret: authSecret(),
    // Served over HTTPS (NEXTAUTH_URL says so; set it in production): Secure, __Secure- prefixed cookies only.
    useSecureCookies: e.NEXTAUTH_URL?.startsWith("https://") ?? false,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin" },
    providers,
    logger: {
      // An ended session read through /api/auth/session is routine, not an error worth a stack trace.
      error(code, metadata) {
        if (!isSessionEnded(metadata))
          log().error({ code, error: (metadata as { name?: string } | undefined)?.name }, "next-auth error");
      },
      warn(code) {
        log().warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "github") return true;
        const gh = profile as { id?: number | string; login?: string; name?: string | null } | undefined;
        const row = await upsertGithubUser({
          githubId: String(gh?.id ?? account.providerAccountId),
          email: user.email ?? null,
          name: gh?.name || gh?.login || user.name || "GitHub user",
        });
        // The JWT's sub must be our users.id, not GitHub's id.
        user.id = row.id;
        (user as SigningInUser).sessionVersion = row.sessionVersion;
        return true;
      },
      async jwt({ token, user }) {
        if (user?.id) {
          // Sign-in: the session belongs to the user's current session version.
          token.sub = user.id;
          token.sv = (user as SigningInUser).sessionVersion ?? (await getSessionVersion(user.id)) ?? 0;
          return token;
        }
        // A later read of the session (/api/auth/session): a session ended server-side is not renewed; next-auth
        // then clears the cookie.
        const current = token.sub ? await getSessionVersion(token.sub) : null;
        if (current === null || token.sv !== current) throw new SessionEndedError("This session has ended");
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
      // After sign-in or sign-out: only a path on this site (lib/auth/redirect.ts).
      async redirect({ url, baseUrl }) {
        return `${new URL(baseUrl).origin}${safeCallbackUrl(url, baseUrl)}`;
      },
    },
    events: {
      // Sign-out ends the session on the server: every cookie issued under this version stops working.
      async signOut({ token }) {
        if (typeof token?.sub === "string" && typeof token.sv === "number") await endSessions(token.sub, token.sv);
      },
    },
  };
}
