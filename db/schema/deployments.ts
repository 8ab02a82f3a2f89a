import type { InputSchema } from "../../lib/api/contracts/input-schema";
import { sql } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { instant, madeAt, partOf, primaryId } from "./columns";
import { agents } from "./agents";
import { users } from "./users";

// Versions, deployments, instances and scaling of deployed agents (README.md, Deployments; lib/deploy).
//
// Every enumerated column takes its values from one exported tuple or pgEnum here: lib/deploy/types.ts derives its
// types from them and the API's contracts (lib/api/contracts) their z.enum, so a value is added in one place.

/** How uploaded code is stored: a zip, a gzipped tar, or a single file named by the entrypoint. */
export const BUNDLE_FORMATS = ["zip", "tar.gz", "file"] as const;
/** Where a version's code comes from: an uploaded bundle, an installed artifact, a container image. */
export const VERSION_SOURCES = ["bundle", "artifact", "image"] as const;
export const CODE_RUNTIMES = ["node", "python"] as const;
export const PHASE_STATUSES = ["pending", "running", "completed", "failed"] as const;
export const SCALING_ACTIONS = ["scale_up", "scale_down"] as const;

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return "bytea";
  },
  fromDriver(value) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value);
  },
});

export const deployEnvironment = pgEnum("deploy_environment", ["dev", "staging", "prod"]);
export const deployHost = pgEnum("deploy_host", ["local", "fargate", "agentcore"]);

/** Uploaded code, stored once per content digest (sha256 of the bytes); versions point at it. */
export const agentBundles = pgTable("agent_bundles", {
  digest: text().primaryKey(),
  /** zip | tar.gz | file (a single file named by the entrypoint) */
  format: text({ enum: BUNDLE_FORMATS }).notNull(),
  bytes: bytea().notNull(),
  sizeBytes: integer().notNull(),
  createdAt: madeAt(),
});

/**
 * An immutable version of an agent's code: a stored bundle, an installed artifact (the demo agents) or a container
 * image (AWS hosts). `code_digest` covers everything that makes the code (bytes, entrypoint, runtime, dependencies,
 * configuration), so the same version with different code is a conflict.
 */
export const agentVersions = pgTable(
  "agent_versions",
  {
    id: primaryId(),
    agentId: partOf(() => agents.id),
    version: text().notNull(),
    description: text().notNull().default(""),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    source: text({ enum: VERSION_SOURCES }).notNull(),
    bundleDigest: text().references(() => agentBundles.digest),
    artifact: text(),
    containerImage: text(),
    entrypoint: text().notNull(),
    runtime: text({ enum: CODE_RUNTIMES }).notNull().default("node"),
    dependencies: jsonb().$type<{ python?: string[]; system?: string[]; node?: string[] }>().notNull().default({}),
    /** { memory_limit (MB), timeout (s), concurrent_executions } */
    configuration: jsonb().$type<{ memory_limit: number; timeout: number; concurrent_executions: number }>().notNull(),
    codeDigest: text().notNull(),
    /** The JSON Schema of its input parameters, as declared on deploy (lib/api/contracts/input-schema.ts). */
    inputSchema: jsonb().$type<InputSchema>(),
    createdByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: madeAt(),
  },
  (t) => [
    uniqueIndex("agent_versions_agent_version_key").on(t.agentId, t.version),
    index("agent_versions_agent_idx").on(t.agentId, t.createdAt.desc()),
  ],
);

/**
 * The columns that say which agent, environment and version a row is about (instances, scaling events, metrics
 * rollups). Removing an agent removes its rows; `versionOnDelete` says what removing a version does (by default it is
 * refused while rows point at it).
 */
export function versionTarget(versionOnDelete?: "cascade") {
  return {
    agentId: partOf(() => agents.id),
    environment: deployEnvironment().notNull(),
    versionId: uuid()
      .notNull()
      .references(() => agentVersions.id, versionOnDelete ? { onDelete: versionOnDelete } : {}),
  };
}

export const deploymentStatus = pgEnum("deployment_status", [
  "deploying",
  "deployed",
  "failed",
  "rolled_back",
  "aborted",
  "superseded",
]);
export const deploymentStrategy = pgEnum("deployment_strategy", ["initial", "blue_green", "rolling", "canary"]);

export interface DeploymentPhase {
  name: string;
  status: (typeof PHASE_STATUSES)[number];
  started_at: string | null;
  completed_at: string | null;
  logs: string[];
}

/** A route's share of traffic: which version gets what weight (0-100; the weights of a route add up to 100). */
export interface TrafficWeight {
  version_id: string;
  weight: number;
}

/**
 * One rollout of a version to an agent's environment. The controller (lib/deploy/controller) drives it through its
 * phases; `lease_owner`/`lease_until` make sure one process at a time does, and `next_step_at` is when it is due.
 */
export const deployments = pgTable(
  "deployments",
  {
    id: primaryId(),
    agentId: partOf(() => agents.id),
    environment: deployEnvironment().notNull(),
    host: deployHost().notNull(),
    versionId: uuid()
      .notNull()
      .references(() => agentVersions.id),
    /** The version that served before (null for an agent's first deployment in the environment). */
    previousVersionId: uuid().references(() => agentVersions.id),
    strategy: deploymentStrategy().notNull(),
    status: deploymentStatus().notNull().default("deploying"),
    phases: jsonb().$type<DeploymentPhase[]>().notNull(),
    currentPhase: text().notNull(),
    progress: integer().notNull().default(0),
    /** Normalized strategy, canary, rollback, scaling, health-check and security settings (lib/deploy/config.ts). */
    config: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The strategy's own progress (rolling step, canary start, last evaluation, ...). */
    state: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    reason: text(),
    nextStepAt: madeAt(),
    leaseOwner: text(),
    leaseUntil: instant(),
    createdByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: madeAt(),
    updatedAt: madeAt(),
    completedAt: instant(),
  },
  (t) => [
    index("deployments_agent_idx").on(t.agentId, t.createdAt.desc(), t.id),
    // At most one rollout in progress per agent and environment: a second deploy is a 409.
    uniqueIndex("deployments_one_active_key")
      .on(t.agentId, t.environment)
      .where(sql`${t.status} = 'deploying'`),
    index("deployments_due_idx")
      .on(t.nextStepAt)
      .where(sql`${t.status} = 'deploying'`),
  ],
);

/**
 * Where an agent's calls in one environment go: the router reads `weights`; `live_version_id` is the last version
 * that completed a deployment (what a rollback returns to). `config` holds the environment's current settings.
 */
export const agentRoutes = pgTable(
  "agent_routes",
  {
    agentId: partOf(() => agents.id),
    environment: deployEnvironment().notNull(),
    host: deployHost().notNull(),
    weights: jsonb().$type<TrafficWeight[]>().notNull().default([]),
    liveVersionId: uuid().references(() => agentVersions.id),
    activeDeploymentId: uuid(),
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Encrypted (lib/runtime/secrets) signing secret for this environment's callbacks, `whsec_...` once decrypted. */
    webhookSecret: text(),
    /** Bumped on every change of `weights`, so routers can cache by it. */
    generation: integer().notNull().default(0),
    updatedAt: madeAt(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.environment] })],
);

export const instanceStatus = pgEnum("instance_status", [
  "starting",
  "healthy",
  "unhealthy",
  "draining",
  "stopped",
  "failed",
]);

/** A running copy of a version (a sandboxed process on the local host, a task on Fargate, ...). */
export const deploymentInstances = pgTable(
  "deployment_instances",
  {
    id: primaryId(),
    ...versionTarget(),
    host: deployHost().notNull(),
    status: instanceStatus().notNull().default("starting"),
    /** Which app process holds it (local sandboxes live in one process), and how to reach it. */
    node: text().notNull(),
    address: text(),
    consecutiveFailures: integer().notNull().default(0),
    lastCheckAt: instant(),
    lastCheckMessage: text(),
    reason: text(),
    startedAt: madeAt(),
    stoppedAt: instant(),
  },
  (t) => [
    index("deployment_instances_route_idx")
      .on(t.agentId, t.environment, t.versionId)
      .where(sql`${t.status} IN ('starting', 'healthy', 'unhealthy', 'draining')`),
  ],
);

export const scalingEvents = pgTable(
  "scaling_events",
  {
    id: primaryId(),
    ...versionTarget(),
    action: text({ enum: SCALING_ACTIONS }).notNull(),
    reason: text().notNull(),
    fromInstances: integer().notNull(),
    toInstances: integer().notNull(),
    createdAt: madeAt(),
  },
  (t) => [index("scaling_events_agent_idx").on(t.agentId, t.environment, t.createdAt.desc())],
);
