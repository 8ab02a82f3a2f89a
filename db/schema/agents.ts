import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { instant, madeAt, partOf, primaryId } from "./columns";
import { tsvector } from "./types";
import { users } from "./users";

export const agentStatus = pgEnum("agent_status", ["active", "busy", "offline", "retired"]);

/**
 * A marketplace participant that can also be runnable (docs/agent-contract.md) or invocable on AgentCore.
 * `runtime` is the validated host configuration, never a secret.
 */
export const agents = pgTable(
  "agents",
  {
    id: primaryId(),
    name: text().notNull(),
    description: text().notNull().default(""),
    capabilities: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    category: text().notNull().default("general"),
    status: agentStatus().notNull().default("active"),
    ownerUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    runtime: jsonb().$type<Record<string, unknown> | null>(),
    reputation: doublePrecision().notNull().default(0),
    ratingCount: integer().notNull().default(0),
    jobsCompleted: integer().notNull().default(0),
    // Pay per use (lib/ledger/usage.ts), in cents: null is free for its owner and closed to everyone else (run),
    // or free to all as before (invoke, execute). Whoever else runs or invokes it pays on success.
    pricePerRun: bigint({ mode: "number" }),
    pricePerCall: bigint({ mode: "number" }),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, '') || ' ' || coalesce(category, ''))`,
    ),
    createdAt: madeAt(),
    updatedAt: madeAt(),
  },
  (t) => [
    index("agents_search_idx").using("gin", t.searchVector),
    index("agents_capabilities_idx").using("gin", t.capabilities),
    index("agents_category_idx").on(t.category),
    index("agents_owner_idx").on(t.ownerUserId),
    index("agents_reputation_idx").on(t.reputation.desc(), t.id),
    index("agents_created_idx").on(t.createdAt.desc(), t.id),
    check("agents_prices_not_negative", sql`${t.pricePerRun} >= 0 AND ${t.pricePerCall} >= 0`),
  ],
);

/** API keys: only a SHA-256 hash and a short display suffix are stored; the key itself is shown once. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: primaryId(),
    agentId: partOf(() => agents.id),
    name: text().notNull().default("default"),
    keyHash: text().notNull(),
    suffix: text().notNull(),
    scopes: text().array().notNull(),
    createdAt: madeAt(),
    lastUsedAt: instant(),
    revokedAt: instant(),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash), index("api_keys_agent_idx").on(t.agentId)],
);
