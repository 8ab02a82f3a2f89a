import { z } from "zod";

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
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  // Sign-in and sign-up attempts allowed per client address per minute (issue 5); tests raise it.
  AUTH_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(20),
  // Request limits.
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  // SSE heartbeat interval.
  EVENTS_HEARTBEAT_MS: z.coerce.number().int().positive().default(15_000),
  // Runtime (issue 3).
  EXECUTION_MAX_CONCURRENT_PER_AGENT: z.coerce.number().int().positive().default(5),
  EXECUTION_DEFAULT_TIMEOUT_S: z.coerce.number().int().positive().default(300),
  EXECUTION_MAX_TIMEOUT_S: z.coerce.number().int().positive().default(3600),
  EXECUTION_MAX_INPUT_BYTES: z.coerce.number().int().positive().default(64_000),
  EXECUTION_STOP_GRACE_MS: z.coerce.number().int().positive().default(5_000),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ENDPOINT_URL_ECS: z.string().url().optional(),
  // AgentCore (issue 4).
  AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: z.string().url().optional(),
  ONBOARDING_AGENT_ARN: z.string().min(1).optional(),
  PROVISIONING_AGENT_ARN: z.string().min(1).optional(),
  MWC_AGENT_ARN: z.string().min(1).optional(),
  INVOKE_MAX_PROMPT_CHARS: z.coerce.number().int().positive().default(100_000),
  INVOKE_MAX_CONCURRENT_PER_CALLER: z.coerce.number().int().positive().default(10),
  INVOKE_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
  // Per attempt: longest wait for the first or next chunk, and for the connection to open (issue 4).
  INVOKE_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  INVOKE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  // Benchmarks only: serves /api/bench/constant (the baseline route of `npm run bench`); 404 otherwise.
  BENCH_ROUTES: bool,
  // Dev: start the local ECS / AgentCore test doubles with `npm run dev` when no AWS config is present.
  DEV_LOCAL_AWS: bool,
  // Operators (issue 8): people, by sign-in email, who hold the `operator` scope (every caller's invocation
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

/** Tests change variables between cases; this forgets the parsed copy. */
export function resetEnvForTests(): void {
  cached = undefined;
}
