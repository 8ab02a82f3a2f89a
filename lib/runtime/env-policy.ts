import { z } from "zod";

/**
 * Which environment variables an owner may set for an agent. The child's environment is built by the
 * platform: the agent contract's variables, a fixed PATH, the operator-approved pass-through list, and the owner's
 * variables (secrets). Owner variables must match USER_ENV_NAME_RE and may never reach the dynamic loader, an
 * interpreter or the shell, nor shadow the contract: the names below are refused with a 400 that lists them.
 */
export const USER_ENV_NAME_RE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Set by the platform for every execution (docs/agent-contract.md). */
export const CONTRACT_ENV_NAMES = ["PORT", "HOST", "AGENT_ID", "AGENT_NAME", "EXECUTION_ID", "INPUT_DATA"] as const;

/** Exact names that steer a loader, an interpreter, a shell or the process's identity. */
const REFUSED_NAMES = new Set([
  "PATH",
  "HOME",
  "SHELL",
  "IFS",
  "ENV",
  "BASH_ENV",
  "CDPATH",
  "PS4",
  "PROMPT_COMMAND",
  "TMPDIR",
  "TMP",
  "TEMP",
  "USER",
  "LOGNAME",
  "PWD",
  "OLDPWD",
  "SHLVL",
  "LOCPATH",
  "NLSPATH",
  "HOSTALIASES",
  "RESOLV_HOST_CONF",
  "RES_OPTIONS",
  "LOCALDOMAIN",
  "TZDIR",
  "CLASSPATH",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  ...CONTRACT_ENV_NAMES,
]);

/** Prefixes of whole families: loaders, language runtimes, libc and TLS libraries, package managers. */
const REFUSED_PREFIXES = [
  "NODE_",
  "NPM_",
  "YARN_",
  "COREPACK_",
  "BUN_",
  "DENO_",
  "UV_",
  "LD_",
  "DYLD_",
  "GCONV_",
  "MALLOC_",
  "GLIBC_",
  "OPENSSL_",
  "SSL_",
  "PYTHON",
  "PERL",
  "RUBY",
  "GEM_",
  "BUNDLE_",
  "JAVA_",
  "JDK_",
  "DOTNET_",
  "LUA_",
  "TCL",
  "GIT_",
  "BASH_FUNC",
  "AWS_CONTAINER_",
  "AWS_EC2_METADATA_",
];

/** Why a name is refused, or null when an owner may set it. */
export function refusalOf(name: string): string | null {
  if (!USER_ENV_NAME_RE.test(name)) return `must match ${USER_ENV_NAME_RE.source}`;
  if ((CONTRACT_ENV_NAMES as readonly string[]).includes(name)) return "set by the platform (agent contract)";
  if (REFUSED_NAMES.has(name)) return "reaches the loader, an interpreter or the shell";
  const prefix = REFUSED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `names starting with ${prefix} reach the loader or an interpreter`;
  return null;
}

/** Every refused name of a list with its reason, in the list's order. */
export function refusedNames(names: readonly string[]): { name: string; reason: string }[] {
  return names.flatMap((name) => {
    const reason = refusalOf(name);
    return reason ? [{ name, reason }] : [];
  });
}

export const MAX_SECRETS_PER_AGENT = 50;
export const MAX_SECRET_VALUE_CHARS = 4000;

export const secretValueSchema = z
  .string()
  .min(1)
  .max(MAX_SECRET_VALUE_CHARS)
  .refine((v) => !v.includes("\u0000"), "must not contain a NUL character");

/**
 * An owner's variables: `{ NAME: value }`. One issue names every refused variable (the 400's message), then one
 * per variable (the details), so a client sees all of them at once.
 */
export const userEnvSchema = z.record(z.string().max(256), secretValueSchema).superRefine((rec, ctx) => {
  const names = Object.keys(rec);
  if (names.length > MAX_SECRETS_PER_AGENT) {
    ctx.addIssue({ code: "custom", message: `at most ${MAX_SECRETS_PER_AGENT} variables` });
  }
  const refused = refusedNames(names);
  if (refused.length === 0) return;
  ctx.addIssue({
    code: "custom",
    message: `refused variables: ${refused.map((r) => r.name).join(", ")} (owner variables must match ${USER_ENV_NAME_RE.source} and may not reach the loader, an interpreter or the agent contract)`,
  });
  for (const r of refused) ctx.addIssue({ code: "custom", path: [r.name], message: r.reason });
});
