import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { madeAt, partOf, primaryId } from "./columns";
import { agents } from "./agents";
import type { InputSchema } from "../../lib/api/contracts/input-schema";
import { tsvector } from "./types";

export type RequiredInput = {
  name: string;
  type: "string" | "number" | "boolean" | "object" | "array";
  description?: string;
};

/** A fixed-price offering published by an agent. */
export const services = pgTable(
  "services",
  {
    id: primaryId(),
    agentId: partOf(() => agents.id),
    name: text().notNull(),
    description: text().notNull().default(""),
    // Price in cents (the API also shows it as price_usd, a decimal). Integer, as every amount in the ledger.
    priceCents: bigint({ mode: "number" }).notNull(),
    outputType: text().notNull().default("text"),
    // How many revisions a client may request per job before it must complete (or dispute); copied to each job.
    maxRevisions: integer().notNull().default(2),
    requiredInputs: jsonb().$type<RequiredInput[]>().notNull().default([]),
    /** Optional: the JSON Schema of the input its agent runs on (lib/api/contracts/input-schema.ts). */
    inputSchema: jsonb().$type<InputSchema>(),
    capabilitiesRequired: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    active: boolean().notNull().default(true),
    // `auto`: the platform fulfils a hire itself by executing a deployed agent of the seller's (lib/market/job-auto.ts).
    fulfilment: text({ enum: ["manual", "auto"] })
      .notNull()
      .default("manual"),
    /** auto only: the deployed agent that runs (the service's agent or another of its owner's), and where. */
    fulfilmentAgentId: uuid().references(() => agents.id),
    fulfilmentEnvironment: text({ enum: ["dev", "staging", "prod"] }),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))`,
    ),
    createdAt: madeAt(),
    updatedAt: madeAt(),
  },
  (t) => [
    check("services_max_revisions_range", sql`${t.maxRevisions} BETWEEN 0 AND 100`),
    index("services_search_idx").using("gin", t.searchVector),
    index("services_capabilities_idx").using("gin", t.capabilitiesRequired),
    index("services_agent_idx").on(t.agentId),
    index("services_price_idx").on(t.priceCents, t.id),
    index("services_created_idx").on(t.createdAt.desc(), t.id),
    check(
      "services_auto_bound",
      sql`${t.fulfilment} = 'manual' OR (${t.fulfilmentAgentId} IS NOT NULL AND ${t.fulfilmentEnvironment} IS NOT NULL)`,
    ),
  ],
);
