/* What each deploy and update setting does, in plain words: the hint under its field. */

export const HELP = {
  version: "A name for this exact code, like 1.2.0. A version never changes: new code needs a new number.",
  description: "What changed in this version, for you later.",
  source:
    "Upload your code (a .zip or .tar.gz of a folder, or one .js/.mjs/.py file), or pick one of the agents this platform installed.",
  file: "Read in your browser and sent with the form; nothing is uploaded until you deploy.",
  entrypoint: "The file that starts your agent, as a path inside the upload (e.g. server.mjs or src/main.py).",
  artifact: "An agent program the platform's operator installed.",
  environment: "dev and staging are for trying things out; prod is what your callers get by default.",
  memory_limit: "The most memory one copy of your agent may use, in MB. It is stopped if it uses more.",
  timeout: "How long one call may take, in seconds, before it counts as timed out.",
  concurrent_executions: "How many calls one copy of your agent answers at the same time.",
  auto_scaling: "Start more copies when busy and stop them when quiet, between the minimum and maximum below.",
  min_instances: "Copies that always run, even with no calls.",
  max_instances: "The most copies that may run at once.",
  target_utilization: "How busy a copy should be before another starts: 70% means a copy busy with 7 of its 10 calls.",
  health_check: "The platform calls your agent regularly and treats it as sick when it does not answer.",
  health_path: "The address inside your agent that answers the health check (e.g. /health).",
  health_interval: "Seconds between health checks.",
  log_level: "How much your agent's log should say: DEBUG is everything, ERROR only failures.",
  strategy: {
    blue_green:
      "Start the new version next to the old one, check it is healthy, then move all calls at once. The old one stays ready for a while.",
    rolling: "Move calls over in steps (25% at a time), starting more copies of the new version as it goes.",
    canary:
      "Send a small share of calls to the new version for a while; move everyone only if it does as well as you asked.",
  },
  traffic_percentage: "The share of calls the new version gets during the trial.",
  duration: "How long the trial lasts, in minutes, before the new version gets all calls.",
  error_rate_threshold: "The trial fails if more than this share of the new version's calls fail.",
  latency_threshold: "The trial fails if the new version's slow calls (95th percentile) take longer than this, in ms.",
  auto_rollback: "Go back to the previous version at once when one of the limits below is crossed.",
  rollback_error_rate: "Roll back when more than this share of calls fail.",
  rollback_timeout_rate: "Roll back when more than this share of calls time out.",
  rollback_health_failures: "Roll back after this many health checks in a row fail.",
} as const;
