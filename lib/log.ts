import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * The app's structured logger (pino, JSON lines on stdout). Nothing secret reaches a line: the fields below are
 * replaced by "[redacted]" wherever they appear in a logged object, and errors go through `safeError`, which drops
 * the SQL parameters a database error carries (they are request values: passwords, keys, prompts).
 */
export const REDACTED_KEYS = [
  "password",
  "password_hash",
  "passwordHash",
  "new_password",
  "current_password",
  "key",
  "api_key",
  "apiKey",
  "keyHash",
  "key_hash",
  "secret",
  "secrets",
  "token",
  "authorization",
  "cookie",
  "prompt",
  "input",
  "env",
  "params",
  "value",
];

const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(destination?: DestinationStream, level: string = env().LOG_LEVEL): Logger {
  return pino(
    {
      level,
      base: { service: "agent-market" },
      redact: { paths, censor: "[redacted]" },
      serializers: { err: safeError },
    },
    destination,
  );
}

/**
 * An error as it may be logged: its name, code and a message without SQL parameters. A database error from drizzle
 * carries the failed query's parameters in `params` and in its message ("Failed query: ...\nparams: ..."); the
 * Postgres error under it may quote a value too ('invalid input syntax for type uuid: "..."'), so only its code
 * and routine are kept.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 200) };
  const e = err as Error & { code?: unknown; query?: unknown; cause?: unknown };
  const isQueryError = typeof e.query === "string";
  const cause = e.cause as { code?: unknown; routine?: unknown; name?: unknown } | undefined;
  return {
    type: e.name,
    message: isQueryError
      ? `Failed query: ${(e.query as string).replace(/\s+/g, " ").trim().slice(0, 500)}`
      : e.message,
    ...(typeof e.code === "string" ? { code: e.code } : {}),
    ...(cause && typeof cause === "object"
      ? { cause: { type: cause.name, code: cause.code, routine: cause.routine } }
      : {}),
    // Frames only: the stack's first lines repeat the message, parameters included.
    stack: e.stack
      ?.split("\n")
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 8)
      .join("\n"),
  };
}

let shared: Logger | undefined;

/** The process's logger, made on first use (so LOG_LEVEL is read after the environment is loaded). */
export function log(): Logger {
  shared ??= createLogger();
  return shared;
}
