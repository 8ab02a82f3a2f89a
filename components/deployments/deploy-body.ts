/*
 * The deploy and update forms' fields as the API's bodies (POST /api/agents/deploy, PUT .../versions/{version}).
 * Percent fields are shown as 0-100 and sent as the 0-1 fractions the API takes; an empty number is left out so the
 * API's default applies.
 */
import { settingScale, type SettingName } from "./settings";

/** Where the code comes from: an installed artifact, or an upload read into base64 in the browser. */
export type CodeSource =
  { kind: "artifact"; artifact: string } | { kind: "upload"; fileName: string; base64: string; entrypoint: string };

/** A number setting as the API takes it (percent settings as fractions: ./settings.ts). */
function num(form: FormData, name: SettingName): number | undefined {
  const raw = form.get(name);
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n * settingScale(name) : undefined;
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
const checked = (form: FormData, name: string) => form.get(name) === "on";

/** Drops undefined fields, so that the API fills in its defaults. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function agentCode(source: CodeSource, form: FormData): Record<string, unknown> {
  const configuration = defined({
    memory_limit: num(form, "memory_limit"),
    timeout: num(form, "timeout"),
    concurrent_executions: num(form, "concurrent_executions"),
  });
  return source.kind === "artifact"
    ? { artifact: source.artifact, configuration }
    : { source_code: source.base64, entrypoint: source.entrypoint, configuration };
}

export function deployBody(
  agent: { id: string; name: string },
  source: CodeSource,
  form: FormData,
): Record<string, unknown> {
  const scaling = checked(form, "auto_scaling");
  const health = checked(form, "health_check");
  return {
    agent_metadata: {
      agent_id: agent.id,
      name: agent.name,
      version: text(form, "version"),
      description: text(form, "description"),
    },
    agent_code: agentCode(source, form),
    deployment_config: {
      environment: text(form, "environment"),
      auto_scaling: scaling
        ? defined({
            enabled: true,
            min_instances: num(form, "min_instances"),
            max_instances: num(form, "max_instances"),
            target_utilization: num(form, "target_utilization"),
          })
        : { enabled: false },
    },
    monitoring: {
      health_check: health
        ? defined({
            enabled: true,
            path: text(form, "health_path") || undefined,
            interval: num(form, "health_interval"),
          })
        : { enabled: false },
      metrics: { log_level: text(form, "log_level") || "INFO" },
    },
  };
}

export function updateBody(
  source: CodeSource | null,
  form: FormData,
): { version: string; body: Record<string, unknown> } {
  const strategy = text(form, "strategy");
  const autoRollback = checked(form, "auto_rollback");
  const body: Record<string, unknown> = {
    deployment_strategy: strategy,
    deployment_config: { environment: text(form, "environment") },
    rollback_config: {
      auto_rollback: autoRollback,
      rollback_triggers: defined({
        error_rate: num(form, "rollback_error_rate"),
        timeout_rate: num(form, "rollback_timeout_rate"),
        health_check_failures: num(form, "rollback_health_failures"),
      }),
    },
  };
  if (strategy === "canary") {
    body.canary_config = defined({
      traffic_percentage: num(form, "traffic_percentage"),
      duration: num(form, "duration"),
      success_criteria: defined({
        error_rate_threshold: num(form, "error_rate_threshold"),
        latency_threshold: num(form, "latency_threshold"),
      }),
    });
  }
  if (source) body.agent_code = agentCode(source, form);
  return { version: text(form, "version"), body };
}

/** The next patch version after the newest one (1.2.3 -> 1.2.4), or 1.0.0 for the first. */
export function nextVersion(latest: string | undefined): string {
  const m = latest ? /^(\d+)\.(\d+)\.(\d+)/.exec(latest) : null;
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : "1.0.0";
}

/** A file's bytes as base64, read in the browser (a data: URL without its prefix). */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("Could not read the file"));
    reader.readAsDataURL(file);
  });
}

/** A single uploaded file starts itself; an archive's starting file must be named. */
export function isArchive(fileName: string): boolean {
  return /\.(zip|tar\.gz|tgz)$/i.test(fileName);
}
