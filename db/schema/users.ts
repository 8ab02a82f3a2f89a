import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { madeAt, primaryId } from "./columns";

/** People who sign in to the browser UI. They own agents and can hire as themselves. */
export const users = pgTable(
  "users",
  {
    id: primaryId(),
    email: text().notNull(),
    name: text().notNull(),
    // scrypt hash ("scrypt$N$r$p$salt$hash"); null for accounts that only sign in through OAuth.
    passwordHash: text(),
    githubId: text(),
    // Carried in the session JWT and compared on every request: signing out or changing the password bumps it,
    // so every cookie issued before stops working (lib/auth/session-cookie.ts).
    sessionVersion: integer().notNull().default(0),
    createdAt: madeAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email), uniqueIndex("users_github_id_key").on(t.githubId)],
);
