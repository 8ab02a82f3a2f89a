import "server-only";
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agents, events } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import type { Scope } from "@/lib/auth/scopes";

/**
 * Who may receive which event of the log (docs/events.md is the reader's version of this file).
 *
 * Catalogue events are public: anyone, even without credentials, receives them. Their data may carry only the
 * fields listed here; appendEvents drops any other, so a field added to a public event stays private until it is
 * listed (and documented) on purpose. Every other event type is private: it reaches only its parties, the agents
 * in `agent_ids` (their own keys, and the people who own them) and the people in `user_ids`. An unknown type is
 * private, so a new event can never leak by being forgotten here.
 */
export const PUBLIC_EVENT_FIELDS = {
  agent_registered: ["name", "category", "capabilities", "owner_user_id"],
  agent_updated: ["fields"],
  agent_status_changed: ["from", "to"],
  agent_retired: ["name", "previous_status", "services_deactivated"],
  agent_reputation_changed: ["agent_id", "previous", "reputation", "rating_count", "jobs_completed"],
  service_created: ["service_id", "agent_id", "name", "price_usd"],
  service_updated: ["service_id", "agent_id", "fields"],
  service_deactivated: ["service_id", "agent_id", "reason"],
  stats_changed: ["subjects"],
} as const satisfies Record<string, readonly string[]>;

export type PublicEventType = keyof typeof PUBLIC_EVENT_FIELDS;

export function isPublicEventType(type: string): type is PublicEventType {
  return Object.hasOwn(PUBLIC_EVENT_FIELDS, type);
}

/** The data of an event as stored: for a public event only its listed fields, for a private one all of it. */
export function storedData(type: string, data: Record<string, unknown>): Record<string, unknown> {
  if (!isPublicEventType(type)) return data;
  const out: Record<string, unknown> = {};
  for (const field of PUBLIC_EVENT_FIELDS[type]) if (field in data) out[field] = data[field];
  return out;
}

/**
 * The scopes that let an API key receive the private events of a subject type (any one of them suffices).
 * A key without them still receives the public events; a person holds every scope.
 */
export const PRIVATE_SUBJECT_SCOPES: Record<string, readonly Scope[]> = {
  job: ["jobs:read"],
  message: ["inbox:read", "jobs:read"],
  execution: ["executions:read"],
  session: ["invoke"],
  api_key: ["keys:manage"],
  deployment: ["agent:monitor", "agent:deploy", "agent:update"],
  wallet: ["wallet:read"],
};

/** What one subscriber may receive. */
export interface Audience {
  /** Agents the subscriber is party for: an agent key's own agent, or the agents a person owns. */
  agentIds: Set<string>;
  /** A signed-in person, party to what names them in `user_ids`. */
  userId: string | null;
  /** Subject types of the private events it may receive; null = every subject (a person). */
  subjects: Set<string> | null;
}

/** Public events only. */
export function anonymousAudience(): Audience {
  return { agentIds: new Set(), userId: null, subjects: new Set() };
}

export function keyAudience(agentId: string, scopes: readonly Scope[]): Audience {
  const subjects = Object.entries(PRIVATE_SUBJECT_SCOPES)
    .filter(([, need]) => need.some((s) => scopes.includes(s)))
    .map(([subject]) => subject);
  return { agentIds: new Set([agentId]), userId: null, subjects: new Set(subjects) };
}

/** The audience of a caller: anonymous, an agent key (that agent), or a person (themself and the agents they own). */
export async function audienceOf(db: Queryable, principal: Principal | null): Promise<Audience> {
  if (!principal) return anonymousAudience();
  if (principal.kind === "agent") return keyAudience(principal.agentId, principal.scopes);
  const owned = await db.select({ id: agents.id }).from(agents).where(eq(agents.ownerUserId, principal.userId));
  return { agentIds: new Set(owned.map((a) => a.id)), userId: principal.userId, subjects: null };
}

/** The fields of a log row that decide who sees it. */
export interface AudienceFields {
  type: string;
  isPublic: boolean;
  agentIds: readonly string[];
  userIds: readonly string[];
  subjectType: string;
  subjectId: string;
}

/** Whether `a` may receive the event: public, or private with `a` among its parties and allowed its subject. */
export function canSee(a: Audience, row: AudienceFields): boolean {
  if (row.isPublic) return true;
  if (a.subjects && !a.subjects.has(row.subjectType)) return false;
  if (a.userId && row.userIds.includes(a.userId)) return true;
  return row.agentIds.some((id) => a.agentIds.has(id));
}

/** The same rule as canSee, as a condition on the events table (for replay). */
export function visibleCondition(a: Audience): SQL {
  const party: SQL[] = [];
  if (a.agentIds.size) {
    party.push(
      sql`${events.agentIds} && ARRAY[${sql.join(
        [...a.agentIds].map((id) => sql`${id}`),
        sql`, `,
      )}]::uuid[]`,
    );
  }
  if (a.userId) party.push(sql`${events.userIds} @> ARRAY[${a.userId}]::uuid[]`);
  const subjects = a.subjects ? [...a.subjects] : null;
  if (party.length === 0 || subjects?.length === 0) return sql`${events.isPublic}`;
  const parties = or(...party) as SQL;
  return or(sql`${events.isPublic}`, subjects ? and(inArray(events.subjectType, subjects), parties) : parties) as SQL;
}

/**
 * A public `agent_registered` names the new agent's owner in `user_ids`: that person's open streams start
 * following the agent at once (returns the agent id to add), so its first job is not missed until a reconnect.
 */
export function agentGained(a: Audience, row: AudienceFields): string | null {
  if (row.type !== "agent_registered" || !a.userId || !row.userIds.includes(a.userId)) return null;
  return a.agentIds.has(row.subjectId) ? null : row.subjectId;
}
