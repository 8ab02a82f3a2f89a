import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { env } from "@/lib/env";
import { authSecret } from "./session";
import { upsertGithubUser, verifyCredentials } from "./users";

/**
 * next-auth: email and password (scrypt) plus GitHub when GITHUB_ID/GITHUB_SECRET are set. Sessions are JWTs whose
 * `sub` is users.id; lib/auth/session.ts reads the same cookie to make the API treat the person as a principal.
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
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/signin" },
    providers,
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
        return true;
      },
      async jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
