import { encode } from "next-auth/jwt";
import type { Queryable } from "@/db/client";
import { agents, apiKeys, services, users, type RequiredInput } from "@/db/schema";
import { generateApiKey } from "@/lib/auth/api-keys";
import { SCOPES, type Scope } from "@/lib/auth/scopes";
import { authSecret } from "@/lib/auth/session";

/**
 * Test fixtures for the hiring tests: rows inserted directly, so these tests do not depend on the catalogue
 * routes. Not imported by application code.
 */

let counter = 0;
const next = () => ++counter;

export interface AgentFixture {
  agent: typeof agents.$inferSelect;
  /** The API key in clear, for `call(..., { key })`. */
  key: string;
}

export async function createAgent(
  db: Queryable,
  opts: {
    name?: string;
    ownerUserId?: string | null;
    status?: "active" | "busy" | "offline" | "retired";
    scopes?: Scope[];
    runtime?: Record<string, unknown> | null;
  } = {},
): Promise<AgentFixture> {
  const [agent] = await db
    .insert(agents)
    .values({
      name: opts.name ?? `agent-${next()}`,
      description: "test agent",
      capabilities: ["testing"],
      ownerUserId: opts.ownerUserId ?? null,
      status: opts.status ?? "active",
      runtime: opts.runtime ?? null,
    })
    .returning();
  if (!agent) throw new Error("agent insert failed");
  const k = generateApiKey();
  await db
    .insert(apiKeys)
    .values({ agentId: agent.id, keyHash: k.hash, suffix: k.suffix, scopes: [...(opts.scopes ?? SCOPES)] });
  return { agent, key: k.key };
}

export async function createService(
  db: Queryable,
  agentId: string,
  opts: { name?: string; priceUsd?: number; requiredInputs?: RequiredInput[]; active?: boolean } = {},
): Promise<typeof services.$inferSelect> {
  const [service] = await db
    .insert(services)
    .values({
      agentId,
      name: opts.name ?? `service-${next()}`,
      description: "test service",
      priceUsd: opts.priceUsd ?? 10,
      requiredInputs: opts.requiredInputs ?? [],
      active: opts.active ?? true,
    })
    .returning();
  if (!service) throw new Error("service insert failed");
  return service;
}

export interface UserFixture {
  user: typeof users.$inferSelect;
  /** Headers carrying a next-auth session cookie for this person. */
  headers: Record<string, string>;
}

/** A signed-in person: a users row plus a session cookie signed with the app's next-auth secret. */
export async function createUser(db: Queryable, opts: { name?: string } = {}): Promise<UserFixture> {
  const n = next();
  const [user] = await db
    .insert(users)
    .values({ email: `user-${n}-${Math.random().toString(36).slice(2)}@example.test`, name: opts.name ?? `user-${n}` })
    .returning();
  if (!user) throw new Error("user insert failed");
  return { user, headers: await sessionHeaders(user) };
}

/**
 * What a browser on our own pages sends for a signed-in person: the next-auth session cookie (a JWT carrying the
 * user's current session version, as lib/auth/options.ts issues it) and the page's Origin (test/http.ts calls
 * http://localhost), without which a cookie-authenticated state change is refused as cross-site.
 */
export async function sessionHeaders(user: {
  id: string;
  name?: string;
  sessionVersion?: number;
}): Promise<Record<string, string>> {
  const token = await encode({
    token: { sub: user.id, name: user.name, sv: user.sessionVersion ?? 0 },
    secret: authSecret(),
  });
  return { cookie: `next-auth.session-token=${token}`, origin: "http://localhost" };
}

/** Who makes a test call: an agent's key or a person's session cookie. */
export type Actor = { key: string } | { headers: Record<string, string> };

export function asActor(f: AgentFixture | UserFixture): Actor {
  return "key" in f ? { key: f.key } : { headers: f.headers };
}
