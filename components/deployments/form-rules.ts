import type { FieldRule, Rules } from "@/lib/client/form-errors";
import { SETTINGS, type Setting } from "./settings";

/*
 * The deploy and update forms' fields in the one validation style (lib/client/form-errors.ts): each setting of
 * ./settings.ts with its limits and the API field paths whose errors it shows, and the code picker's fields.
 */

function settingRule(s: Setting): FieldRule | null {
  const paths = s.errors ?? [];
  if (s.kind === "number") {
    const whole = !("step" in s && s.step === "any") && !("percent" in s && s.percent);
    return { label: s.label, kind: whole ? "integer" : "number", required: true, min: s.min, max: s.max, paths };
  }
  if (s.kind === "text") {
    return {
      label: s.label,
      required: "required" in s ? s.required : undefined,
      max: s.maxLength,
      ...("pattern" in s && s.pattern
        ? { pattern: new RegExp(`^(?:${s.pattern})$`), patternHint: `${s.label} must start with /, like /health` }
        : {}),
      paths,
    };
  }
  return null;
}

export const DEPLOY_RULES: Rules = {
  ...Object.fromEntries(
    Object.entries(SETTINGS).flatMap(([name, s]) => {
      const rule = settingRule(s);
      return rule ? [[name, rule]] : [];
    }),
  ),
  artifact: { label: "Installed agent", paths: ["agent_code.artifact"] },
  code_file: { label: "Code file", paths: ["agent_code.source_code", "agent_code"] },
  entrypoint: { label: "Entrypoint", required: true, max: 1024, paths: ["agent_code.entrypoint"] },
};

/** What a deploy without code says (an upload chosen, but no file read yet). */
export const NO_CODE = "Choose the code to deploy: an installed agent, or a file to upload and its entrypoint.";
