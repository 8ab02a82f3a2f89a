import { tmpdir } from "node:os";
import { z } from "zod";
import { deployHost } from "@/db/schema/deployments";
import { parseTrustProxy } from "@/lib/api/client-address";

/**
 * Every environment variable the app reads, validated once. `.env.example` documents each of them.
 * Modules read `env()` rather than `process.env` so that a typo or a bad value fails loudly at first use.
 */
const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Where `npm start` (server.ts) listens; its --port and --hostname flags win.
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().min(1).optional(),
  // Database: unset -> embedded PGlite in PGLITE_DIR; postgres:// -> node-postgres; Neon host or DATABASE_DRIVER=neon -> Neon serverless.
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_DRIVER: z.enum(["pg", "neon"]).optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  // Neon only: where the Neon WebSocket proxy lives (tests point this at a local WS-to-TCP proxy).
  NEON_WS_PROXY: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  // `npm run dev` seeds demo data into an empty database unless this is false.
  SEED_DEMO_DATA: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  // Required in production; unset elsewhere, lib/auth/secret.ts generates one into .data/nextauth-secret.
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  // The app's public origin: next-auth callbacks and the CSRF origin check (lib/auth/csrf.ts).
  NEXTAUTH_URL: z.string().url().optional(),
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  // Sign-in attempts allowed per client address per minute (limit "signin"); tests raise it.
  AUTH_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(20),
  // Structured logs (lib/log.ts): trace, debug, info, warn, error, fatal or silent.
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // Rate limits (lib/api/rate-limit-policies.ts): counted in the database, shared by every app process.
  // Which proxies may tell us the client's address in X-Forwarded-For: unset = none (the socket's peer is the
  // client); a hop count (1 = one proxy in front); or a comma list of addresses/CIDRs or loopback, linklocal,
  // uniquelocal.
  TRUST_PROXY: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  // Registrations (agents and accounts) per client address per hour.
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: z.coerce.number().int().positive().default(20),
  // Per caller (agent or person): hires and messages per minute, API keys created per hour, runs and invocations
  // per minute, services listed per hour.
  RATE_LIMIT_HIRES_PER_MIN: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_MESSAGES_PER_MIN: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_KEYS_PER_HOUR: z.coerce.number().int().positive().default(20),
  RATE_LIMIT_RUNS_PER_MIN: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_INVOCATIONS_PER_MIN: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_SERVICES_PER_HOUR: z.coerce.number().int().positive().default(30),
  // Event streams (SSE) a client may hold open at once (per caller, or per address when anonymous).
  SSE_MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().positive().default(10),
  // The local host's OS sandbox for uploaded code (lib/runtime/sandbox): the bubblewrap binary, and where each
  // sandbox's folders (platform files, socket, scratch) live while it runs.
  SANDBOX_BWRAP_PATH: z.string().min(1).default("/usr/bin/bwrap"),
  // (a temporary folder by default: the sandbox's own uid must be able to reach it, which a home folder may forbid)
  SANDBOX_DIR: z.string().min(1).default(`${tmpdir()}/agent-market-sandboxes`),
  // Deployments (lib/deploy): where a version runs unless the request names a host (local = the sandbox above),
  // where stored bundles are unpacked once, and the limits on an uploaded bundle (decoded bytes, bytes once
  // unpacked, files).
  DEPLOY_DEFAULT_HOST: z.enum(deployHost.enumValues).default("local"),
  DEPLOY_BUNDLE_DIR: z.string().min(1).default(`${tmpdir()}/agent-market-bundles`),
  DEPLOY_MAX_BUNDLE_BYTES: z.coerce.number().int().positive().default(10_485_760),
  DEPLOY_MAX_UNPACKED_BYTES: z.coerce.number().int().positive().default(104_857_600),
  DEPLOY_MAX_BUNDLE_FILES: z.coerce.number().int().positive().default(2_000),
  // Rollouts: how long blue/green keeps the old version warm after the switch (s), and a rolling update's steps.
  DEPLOY_BLUE_GREEN_GRACE_S: z.coerce.number().int().nonnegative().default(60),
  DEPLOY_ROLLING_STEPS: z.coerce.number().int().min(1).max(100).default(4),
  // Request limits.
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  // SSE heartbeat interval.
  EVENTS_HEARTBEAT_MS: z.coerce.number().int().positive().default(15_000),
  // A subscriber whose unsent bytes (the socket's write buffer, or the stream's queue) pass this many is dropped
  // and resumes with Last-Event-ID: a slow reader never makes the server hold more than this for it.
  SSE_MAX_BACKLOG_BYTES: z.coerce.number().int().positive().default(262_144),
  // Event log retention (lib/events/retention.ts, an hourly sweep): events older than this many days are deleted
  // (0 = keep by age forever); with EVENTS_RETENTION_MAX_ROWS > 0 only the newest that many are kept as well. A
  // stream resuming from a deleted id gets a `resync` event (docs/events.md). The batch is rows per transaction.
  EVENTS_RETENTION_DAYS: z.coerce.number().nonnegative().default(30),
  EVENTS_RETENTION_MAX_ROWS: z.coerce.number().int().nonnegative().default(0),
  EVENTS_RETENTION_BATCH: z.coerce.number().int().positive().default(5_000),
  // How often each process writes its buffered call metrics (lib/metrics/recorder.ts).
  METRICS_FLUSH_MS: z.coerce.number().int().positive().default(2_000),
  // The deployment controller (lib/deploy/controller): started with the app unless false; how long a controller
  // holds a deployment while it runs a step (another takes over once it lapses); step workers per process; how often
  // an idle worker looks for due steps (seconds, at least 0.5; a step due in this process wakes it at once).
  DEPLOY_CONTROLLER: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  DEPLOY_LEASE_S: z.coerce.number().int().min(5).default(60),
  DEPLOY_CONTROLLER_WORKERS: z.coerce.number().int().min(1).max(64).default(4),
  DEPLOY_POLL_INTERVAL_S: z.coerce.number().min(0.5).default(2),
  // Sandboxed instances the local host runs at once, all agents together (capacity in /api/system/health).
  DEPLOY_LOCAL_MAX_INSTANCES: z.coerce.number().int().positive().default(50),
  // Runtime (docs/agent-contract.md).
  EXECUTION_MAX_CONCURRENT_PER_AGENT: z.coerce.number().int().positive().default(5),
  EXECUTION_DEFAULT_TIMEOUT_S: z.coerce.number().int().positive().default(300),
  EXECUTION_MAX_TIMEOUT_S: z.coerce.number().int().positive().default(3600),
  EXECUTION_MAX_INPUT_BYTES: z.coerce.number().int().positive().default(64_000),
  EXECUTION_STOP_GRACE_MS: z.coerce.number().int().positive().default(5_000),
  // Executions of deployed agents (POST /api/agents/{id}/execute, lib/runtime/execute): how long a sync call holds
  // the connection before answering 202 (Replicate's `Prefer: wait` cap); whether this process runs the execution
  // worker (the pg-boss queue "agent-execution"); how many executions one worker process runs at once.
  EXECUTE_SYNC_WAIT_S: z.coerce.number().positive().max(600).default(60),
  EXECUTE_WORKER: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  EXECUTE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  // Per caller: how many of its executions may be unfinished (queued or running) at once; past it, 429.
  EXECUTE_MAX_PENDING_PER_CALLER: z.coerce.number().int().min(1).default(100),
  // Callbacks (lib/webhooks): delays in seconds between delivery attempts (after the first), per-attempt timeout,
  // and the operator's exceptions to the SSRF guard: http and loopback addresses (development and tests), private
  // and link-local networks (never the cloud metadata addresses).
  CALLBACK_RETRY_SCHEDULE_S: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, "a comma list of seconds")
    .default("5,300,1800,7200,18000,36000")
    .transform((v) => v.split(",").map(Number)),
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5_000),
  CALLBACK_ALLOW_LOOPBACK: bool,
  CALLBACK_ALLOW_PRIVATE: bool,
  RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ENDPOINT_URL_ECS: z.string().url().optional(),
  // AgentCore: configured agents and invocation limits (POST /api/agents/invoke).
  AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: z.string().url().optional(),
  ONBOARDING_AGENT_ARN: z.string().min(1).optional(),
  PROVISIONING_AGENT_ARN: z.string().min(1).optional(),
  MWC_AGENT_ARN: z.string().min(1).optional(),
  INVOKE_MAX_PROMPT_CHARS: z.coerce.number().int().positive().default(100_000),
  INVOKE_MAX_CONCURRENT_PER_CALLER: z.coerce.number().int().positive().default(10),
  INVOKE_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
  // Per attempt: longest wait for the first or next chunk, and for the connection to open.
  INVOKE_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  INVOKE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  // Money (lib/ledger, docs/ledger.md). The platform's fee on a completed job, in basis points (500 = 5%).
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(500),
  // A delivered job the client neither completes, asks to revise nor disputes for this long completes on its own
  // and pays the worker (lib/market/job-auto-accept.ts; a scheduled job checks every minute). Fractions allowed.
  AUTO_ACCEPT_AFTER_HOURS: z.coerce.number().positive().default(72),
  // Stripe Checkout for top-ups. Without a secret key, POST /api/wallet/top-ups is a development faucet instead.
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  // Verifies the signature of POST /api/wallet/stripe-webhook; required once STRIPE_SECRET_KEY is set.
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  // Another Stripe API origin (tests point the library at the loopback double); unset = api.stripe.com.
  STRIPE_API_URL: z.string().url().optional(),
  // The faucet's lifetime credit per account, in cents (only without Stripe).
  FAUCET_MAX_PER_ACCOUNT: z.coerce.number().int().min(0).default(100_000),
  // Benchmarks only: serves /api/bench/constant (the baseline route of `npm run bench`); 404 otherwise.
  BENCH_ROUTES: bool,
  // Benchmarks only, and only with BENCH_ROUTES: how writers take the event log's lock (lib/events/log.ts):
  // `shared` (what the app does), `exclusive` (the former global lock held to commit) or `off`. Ignored otherwise.
  BENCH_EVENT_LOCK: z.enum(["shared", "exclusive", "off"]).default("shared"),
  // Dev: start the local ECS / AgentCore test doubles with `npm run dev` when no AWS config is present.
  DEV_LOCAL_AWS: bool,
  // --- Trust boundary of the runtime (docs/agent-contract.md, Runtime configuration) ---
  // A folder of operator-installed local artifacts (subfolders with an agent.json manifest), besides agents/.
  LOCAL_AGENTS_DIR: z.string().min(1).optional(),
  // Variables of the app's own environment passed on to local agent processes (comma list; the operator's choice).
  LOCAL_AGENT_ENV_PASSTHROUGH: z.string().default("LANG,TZ"),
  // AES-256-GCM key for agent secrets: 32 bytes as base64 or hex. Required in production; generated under .data/ in
  // development. SECRETS_KEY_PREVIOUS still decrypts during a rotation (`npm run secrets:rotate`).
  SECRETS_KEY: z.string().min(1).optional(),
  SECRETS_KEY_PREVIOUS: z.string().min(1).optional(),
  // Where development keeps its generated secrets key.
  SECRETS_KEY_FILE: z.string().min(1).default(".data/secrets.key"),
  // ECS Fargate, all the operator's: an agent's runtime only names a task-definition family under the prefix.
  ECS_CLUSTER: z.string().min(1).optional(),
  ECS_SUBNETS: z.string().min(1).optional(),
  ECS_SECURITY_GROUPS: z.string().min(1).optional(),
  ECS_TASK_ROLE_ARN: z.string().min(1).optional(),
  ECS_EXECUTION_ROLE_ARN: z.string().min(1).optional(),
  ECS_TASK_DEFINITION_PREFIX: z.string().min(1).optional(),
  ECS_ASSIGN_PUBLIC_IP: bool,
  // AgentCore runtime ARNs users may point agents at: comma list of patterns by account and runtime-name prefix,
  // e.g. arn:aws:bedrock-agentcore:*:123456789012:runtime/acme-* (the configured agents above are always allowed).
  AGENTCORE_ALLOWED_RUNTIME_ARNS: z.string().optional(),
  // --- Deployments on AWS (lib/deploy/hosts): all the operator's, never a user's ---
  // The bucket AgentCore reads versions' code from (key <agent>/<version>/<sha256>.zip). With the role below it
  // makes the `agentcore` host available.
  AGENT_ARTIFACTS_BUCKET: z.string().min(1).optional(),
  // The role every deployed AgentCore runtime runs as (bedrock-agentcore.amazonaws.com must be able to assume it).
  AGENTCORE_EXECUTION_ROLE_ARN: z.string().min(1).optional(),
  // Runtimes are named <prefix>_<agent id without dashes>: the IAM policy can be scoped to this prefix.
  AGENTCORE_RUNTIME_PREFIX: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,14}$/)
    .default("agentmarket"),
  // AgentCore's session lifecycle for deployed runtimes (its defaults: 900 s idle, 8 h at most).
  AGENTCORE_IDLE_TIMEOUT_S: z.coerce.number().int().min(60).max(28_800).default(900),
  AGENTCORE_MAX_LIFETIME_S: z.coerce.number().int().min(60).max(28_800).default(28_800),
  // Other origins for the control plane and S3 (the loopback doubles in tests and `npm run dev`).
  AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL: z.string().url().optional(),
  AWS_ENDPOINT_URL_S3: z.string().url().optional(),
  // Longest wait for an AWS version to come up (an endpoint READY, a service's tasks RUNNING) within one step.
  DEPLOY_AWS_READY_TIMEOUT_S: z.coerce.number().min(1).default(50),
  // CloudWatch Logs group of deployed Fargate services (awslogs driver; stream prefix = the agent id). Runs and
  // instances read their containers' output back from it (lib/runtime/hosts/cloudwatch-logs.ts).
  ECS_LOG_GROUP: z.string().min(1).default("/agent-market/agents"),
  // Another CloudWatch Logs origin (the loopback double in tests and `npm run dev`).
  AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: z.string().url().optional(),
  // Operators: people, by sign-in email, who hold the `operator` scope (every caller's invocation
  // metrics). Comma-separated, case-insensitive; empty = nobody. API keys never hold it.
  OPERATOR_EMAILS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  // --- Set by the tools, not by the operator (read through here like every other variable) ---
  // The version `npm run`/`npm start` exports from package.json; /api/health and the OpenAPI document show it.
  npm_package_version: z.string().min(1).default("0.1.0"),
  // Set by Next.js while it builds (`phase-production-build`): lib/auth/secret.ts needs no real secret then.
  NEXT_PHASE: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * Forgets the parsed copy, so that the next `env()` reads `process.env` again. A reset rather than a parameter:
 * every module reads the one cached copy, and the two callers change the environment of the whole process
 * (scripts/dev.ts after pointing it at the local AWS endpoints; tests between cases, through setTestEnv).
 */
export function reloadEnv(): void {
  cached = undefined;
}

/**
 * The variables of the app's own environment named in LOCAL_AGENT_ENV_PASSTHROUGH, as they are set now: the one
 * read of variables this module does not know by name (the operator chooses them), for local agent processes.
 */
export function passthroughEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of env()
    .LOCAL_AGENT_ENV_PASSTHROUGH.split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const v = process.env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
