import { DEFAULT_CODE_CONFIGURATION as C, DEFAULT_DEPLOYMENT_CONFIG as D } from "@/lib/deploy/types";

/*
 * Every setting of the deploy and update forms, one row each: its label, its help in plain words (the hint under
 * the field), what input it is, its default (the API's own, lib/deploy/types.ts) and the limits the browser checks
 * before the API does (lib/api/contracts/deploy-settings.ts). `errors` are the API's field names whose message is
 * shown under it; `percent` settings are shown as 0-100 and sent as the 0-1 fractions the API takes (./deploy-body.ts).
 * The row's key is the form field's name. <SettingField> (./form-parts.tsx) draws a row.
 */

interface Common {
  label: string;
  help: string;
  errors?: readonly string[];
}
export type Setting =
  | (Common & { kind: "number"; default: number; min: number; max: number; step?: "any"; percent?: boolean })
  | (Common & { kind: "text"; default?: string; maxLength: number; pattern?: string; required?: boolean })
  | (Common & { kind: "select"; default: string; options: readonly string[] })
  | (Common & { kind: "toggle"; default: boolean });

const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;

export const SETTINGS = {
  version: {
    kind: "text",
    label: "Version",
    help: "A name for this exact code, like 1.2.0. A version never changes: new code needs a new number.",
    maxLength: 128,
    required: true,
    errors: ["agent_metadata.version", "version"],
  },
  environment: {
    kind: "select",
    label: "Environment",
    help: "dev and staging are for trying things out; prod is what your callers get by default.",
    default: "prod",
    options: ["prod", "staging", "dev"],
  },
  description: {
    kind: "text",
    label: "What changed",
    help: "What changed in this version, for you later.",
    maxLength: 5000,
  },
  memory_limit: {
    kind: "number",
    label: "Memory (MB)",
    help: "The most memory one copy of your agent may use, in MB. It is stopped if it uses more.",
    default: C.memory_limit,
    min: 32,
    max: 8192,
    errors: ["agent_code.configuration.memory_limit"],
  },
  timeout: {
    kind: "number",
    label: "Timeout (s)",
    help: "How long one call may take, in seconds, before it counts as timed out.",
    default: C.timeout,
    min: 1,
    max: 900,
    errors: ["agent_code.configuration.timeout"],
  },
  concurrent_executions: {
    kind: "number",
    label: "Calls at once",
    help: "How many calls one copy of your agent answers at the same time.",
    default: C.concurrent_executions,
    min: 1,
    max: 1000,
    errors: ["agent_code.configuration.concurrent_executions"],
  },
  auto_scaling: {
    kind: "toggle",
    label: "Auto-scaling",
    help: "Start more copies when busy and stop them when quiet, between the minimum and maximum below.",
    default: D.auto_scaling.enabled,
  },
  min_instances: {
    kind: "number",
    label: "Minimum copies",
    help: "Copies that always run, even with no calls.",
    default: D.auto_scaling.min_instances,
    min: 1,
    max: 100,
  },
  max_instances: {
    kind: "number",
    label: "Maximum copies",
    help: "The most copies that may run at once.",
    default: D.auto_scaling.max_instances,
    min: 1,
    max: 100,
    errors: ["deployment_config.auto_scaling.min_instances"],
  },
  target_utilization: {
    kind: "number",
    label: "Target busy (%)",
    help: "How busy a copy should be before another starts: 70% means a copy busy with 7 of its 10 calls.",
    default: D.auto_scaling.target_utilization,
    min: 1,
    max: 100,
    percent: true,
  },
  health_check: {
    kind: "toggle",
    label: "Health checks",
    help: "The platform calls your agent regularly and treats it as sick when it does not answer.",
    default: D.health_check.enabled,
  },
  health_path: {
    kind: "text",
    label: "Health path",
    help: "The address inside your agent that answers the health check (e.g. /health).",
    default: D.health_check.path,
    maxLength: 200,
    pattern: "/.*",
    errors: ["monitoring.health_check.path"],
  },
  health_interval: {
    kind: "number",
    label: "Every (s)",
    help: "Seconds between health checks.",
    default: D.health_check.interval,
    min: 5,
    max: 3600,
  },
  log_level: {
    kind: "select",
    label: "Log level",
    help: "How much your agent's log should say: DEBUG is everything, ERROR only failures.",
    default: D.log_level,
    options: LOG_LEVELS,
  },
  traffic_percentage: {
    kind: "number",
    label: "Trial traffic (%)",
    help: "The share of calls the new version gets during the trial.",
    default: D.canary.traffic_percentage,
    min: 1,
    max: 100,
    step: "any",
    errors: ["canary_config.traffic_percentage"],
  },
  duration: {
    kind: "number",
    label: "Trial length (min)",
    help: "How long the trial lasts, in minutes, before the new version gets all calls.",
    default: D.canary.duration,
    min: 1,
    max: 10_080,
    errors: ["canary_config.duration"],
  },
  error_rate_threshold: {
    kind: "number",
    label: "Most failures (%)",
    help: "The trial fails if more than this share of the new version's calls fail.",
    default: D.canary.success_criteria.error_rate_threshold,
    min: 0,
    max: 100,
    step: "any",
    percent: true,
  },
  latency_threshold: {
    kind: "number",
    label: "Slowest p95 (ms)",
    help: "The trial fails if the new version's slow calls (95th percentile) take longer than this, in ms.",
    default: D.canary.success_criteria.latency_threshold,
    min: 1,
    max: 600_000,
  },
  auto_rollback: {
    kind: "toggle",
    label: "Roll back on its own",
    help: "Go back to the previous version at once when one of the limits below is crossed.",
    default: D.rollback.auto_rollback,
  },
  rollback_error_rate: {
    kind: "number",
    label: "Failed calls (%)",
    help: "Roll back when more than this share of calls fail.",
    default: D.rollback.rollback_triggers.error_rate,
    min: 0,
    max: 100,
    step: "any",
    percent: true,
  },
  rollback_timeout_rate: {
    kind: "number",
    label: "Timed-out calls (%)",
    help: "Roll back when more than this share of calls time out.",
    default: D.rollback.rollback_triggers.timeout_rate,
    min: 0,
    max: 100,
    step: "any",
    percent: true,
  },
  rollback_health_failures: {
    kind: "number",
    label: "Failed health checks",
    help: "Roll back after this many health checks in a row fail.",
    default: D.rollback.rollback_triggers.health_check_failures,
    min: 1,
    max: 100,
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** How a setting's form value becomes the API's: percent settings are sent as fractions. */
export function settingScale(name: SettingName): number {
  const s: Setting = SETTINGS[name];
  return s.kind === "number" && s.percent ? 0.01 : 1;
}

/** The help of what is not a single setting: where the code comes from, and the rollout strategies. */
export const HELP = {
  source:
    "Upload your code (a .zip or .tar.gz of a folder, or one .js/.mjs/.py file), or pick one of the agents this platform installed.",
  file: "Read in your browser and sent with the form; nothing is uploaded until you deploy.",
  entrypoint: "The file that starts your agent, as a path inside the upload (e.g. server.mjs or src/main.py).",
  artifact: "An agent program the platform's operator installed.",
  strategy: {
    blue_green:
      "Start the new version next to the old one, check it is healthy, then move all calls at once. The old one stays ready for a while.",
    rolling: "Move calls over in steps (25% at a time), starting more copies of the new version as it goes.",
    canary:
      "Send a small share of calls to the new version for a while; move everyone only if it does as well as you asked.",
  },
} as const;
