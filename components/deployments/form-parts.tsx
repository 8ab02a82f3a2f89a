"use client";

import { useState, type ReactNode } from "react";
import { Field, Input, Select } from "@/components/ui/field";
import { RadioGroup } from "@/components/ui/radio-group";
import { isArchive, readBase64, type CodeSource } from "./deploy-body";
import { HELP, SETTINGS, type Setting, type SettingName } from "./settings";

/* Fields the deploy and update forms share, drawn from the settings table (./settings.ts). */

type ToggleName = { [K in SettingName]: (typeof SETTINGS)[K]["kind"] extends "toggle" ? K : never }[SettingName];

/** A setting's row of ./settings.ts: its label, input, default and limits, and its help or the API's error. */
export function SettingField({
  name,
  errors = {},
  id = name,
  hint,
  options,
  defaultValue,
  className,
}: {
  name: Exclude<SettingName, ToggleName>;
  errors?: Record<string, string>;
  /** When two forms on a page hold the same setting. */
  id?: string;
  /** Overrides of the table's help, options and default, for a form that knows better (e.g. live environments). */
  hint?: ReactNode;
  options?: { value: string; label: string }[];
  defaultValue?: string;
  className?: string;
}) {
  const s: Setting = SETTINGS[name];
  // `errors` are the form's (./form-rules.ts): the API's field paths are already mapped to the setting's name.
  const error = errors[name];
  let input: ReactNode;
  if (s.kind === "number") {
    // Percent settings are fractions in the API and 0-100 here (rounded: 0.7 * 100 is 70.00000000000001).
    const shown = s.percent ? Math.round(s.default * 100 * 1e6) / 1e6 : s.default;
    input = <Input id={id} name={name} inputMode="decimal" defaultValue={shown} className="tabular-nums" />;
  } else if (s.kind === "select") {
    const choices = options ?? s.options.map((o) => ({ value: o, label: o }));
    input = (
      <Select id={id} name={name} defaultValue={options ? undefined : s.default} className={className}>
        {choices.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    );
  } else if (s.kind === "text") {
    input = <Input id={id} name={name} defaultValue={defaultValue ?? s.default} />;
  }
  return (
    <Field
      label={s.label}
      hint={hint ?? s.help}
      error={error}
      htmlFor={id}
      max={s.kind === "text" && s.maxLength >= 100 ? s.maxLength : undefined}
    >
      {input}
    </Field>
  );
}

/** Several number settings side by side. */
export function SettingRow({
  names,
  errors,
}: {
  names: Exclude<SettingName, ToggleName>[];
  errors?: Record<string, string>;
}) {
  return (
    <>
      {names.map((n) => (
        <SettingField key={n} name={n} errors={errors} />
      ))}
    </>
  );
}

/** A checkbox setting with its help; `children` are the settings it switches on. */
export function Toggle({ name, children }: { name: ToggleName; children?: ReactNode }) {
  const s = SETTINGS[name];
  const [on, setOn] = useState<boolean>(s.default);
  return (
    <fieldset className="space-y-3 rounded-lg border border-line p-3">
      <div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input id={name} name={name} type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />
          {s.label}
        </label>
        <p className="mt-1 text-xs text-muted">{s.help}</p>
      </div>
      {on && children ? <div className="grid gap-3 sm:grid-cols-3">{children}</div> : null}
    </fieldset>
  );
}

/** A group of settings under a heading. */
export function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3">
      <legend className="mb-2 text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

/** The code's resources (the deploy request's agent_code.configuration): every version carries its own. */
export function ResourceFields({ errors }: { errors: Record<string, string> }) {
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <SettingRow names={["memory_limit", "timeout", "concurrent_executions"]} errors={errors} />
    </div>
  );
}

/**
 * Upload a bundle or pick an installed artifact. The file is read into base64 here, so the form sends it as the
 * API's `source_code`; `onChange` gets null until a choice is complete.
 */
export function CodeSourcePicker({
  artifacts,
  onChange,
  errors,
}: {
  artifacts: { name: string; description: string }[];
  onChange: (source: CodeSource | null) => void;
  errors: Record<string, string>;
}) {
  const [kind, setKind] = useState<"artifact" | "upload">(artifacts.length ? "artifact" : "upload");
  const [artifact, setArtifact] = useState(artifacts[0]?.name ?? "");
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [entrypoint, setEntrypoint] = useState("");
  const [readError, setReadError] = useState<string | null>(null);

  const emit = (next: { kind?: typeof kind; artifact?: string; file?: typeof file; entrypoint?: string }) => {
    const k = next.kind ?? kind;
    const f = next.file !== undefined ? next.file : file;
    const a = next.artifact ?? artifact;
    const e = next.entrypoint ?? entrypoint;
    if (k === "artifact") onChange(a ? { kind: "artifact", artifact: a } : null);
    else onChange(f && e ? { kind: "upload", fileName: f.name, base64: f.base64, entrypoint: e } : null);
  };

  return (
    <div className="space-y-3">
      <RadioGroup
        label="Code"
        name="code_kind"
        options={["artifact", "upload"] as const}
        value={kind}
        onChange={(k) => {
          setKind(k);
          emit({ kind: k });
        }}
        disabled={(k) => k === "artifact" && artifacts.length === 0}
        show={(k) => (k === "artifact" ? "An installed agent" : "Upload code")}
        className="flex flex-wrap gap-4 text-sm"
        optionClassName="flex items-center gap-2"
      />
      <p className="text-xs text-muted">{HELP.source}</p>
      {kind === "artifact" ? (
        <Field label="Installed agent" hint={HELP.artifact} error={errors.artifact} htmlFor="artifact">
          <Select
            id="artifact"
            value={artifact}
            onChange={(e) => {
              setArtifact(e.target.value);
              emit({ artifact: e.target.value });
            }}
          >
            {artifacts.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
                {a.description ? ` — ${a.description}` : ""}
              </option>
            ))}
          </Select>
        </Field>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Code file" hint={HELP.file} error={readError ?? errors.code_file} htmlFor="code_file">
            <Input
              id="code_file"
              name="code_file"
              type="file"
              accept=".zip,.tar.gz,.tgz,.js,.mjs,.cjs,.py"
              onChange={async (e) => {
                const picked = e.target.files?.[0];
                setReadError(null);
                if (!picked) {
                  setFile(null);
                  emit({ file: null });
                  return;
                }
                try {
                  const f = { name: picked.name, base64: await readBase64(picked) };
                  // A single file is its own entrypoint; an archive keeps what was typed.
                  const e2 = isArchive(picked.name) ? entrypoint : picked.name;
                  setFile(f);
                  setEntrypoint(e2);
                  emit({ file: f, entrypoint: e2 });
                } catch (err) {
                  setReadError(err instanceof Error ? err.message : "Could not read the file");
                }
              }}
            />
          </Field>
          <Field label="Entrypoint" hint={HELP.entrypoint} error={errors.entrypoint} htmlFor="entrypoint">
            <Input
              id="entrypoint"
              name="entrypoint"
              value={entrypoint}
              placeholder="server.mjs"
              onChange={(e) => {
                setEntrypoint(e.target.value);
                emit({ entrypoint: e.target.value });
              }}
            />
          </Field>
        </div>
      )}
    </div>
  );
}

/** What the picker starts with: the first installed artifact, when there is one. */
export function initialSource(artifacts: { name: string }[]): CodeSource | null {
  return artifacts[0] ? { kind: "artifact", artifact: artifacts[0].name } : null;
}
