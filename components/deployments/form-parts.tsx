"use client";

import { useState, type ReactNode } from "react";
import { Field, Input, Select } from "@/components/ui/field";
import { isArchive, readBase64, type CodeSource } from "./deploy-body";
import { HELP } from "./help";
import { DEFAULT_CODE_CONFIGURATION as C } from "@/lib/deploy/types";

/* Fields the deploy and update forms share. */

export function NumberField({
  id,
  label,
  hint,
  error,
  ...props
}: {
  id: string;
  label: string;
  hint: ReactNode;
  error?: string;
  defaultValue: number;
  min?: number;
  max?: number;
  step?: number | "any";
}) {
  return (
    <Field label={label} hint={hint} error={error} htmlFor={id}>
      <Input id={id} name={id} type="number" inputMode="decimal" required {...props} />
    </Field>
  );
}

/** A checkbox with its help; `children` are the settings it switches on. */
export function Toggle({
  id,
  label,
  hint,
  defaultChecked,
  children,
}: {
  id: string;
  label: string;
  hint: ReactNode;
  defaultChecked: boolean;
  children?: ReactNode;
}) {
  const [on, setOn] = useState(defaultChecked);
  return (
    <fieldset className="space-y-3 rounded-lg border border-line p-3">
      <div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input id={id} name={id} type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />
          {label}
        </label>
        <p className="mt-1 text-xs text-muted">{hint}</p>
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

/** The code's resources (seed 003 agent_code.configuration): every version carries its own. */
export function ResourceFields({ errors }: { errors: Record<string, string> }) {
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <NumberField
        id="memory_limit"
        label="Memory (MB)"
        hint={HELP.memory_limit}
        defaultValue={C.memory_limit}
        min={32}
        max={8192}
        error={errors["agent_code.configuration.memory_limit"]}
      />
      <NumberField
        id="timeout"
        label="Timeout (s)"
        hint={HELP.timeout}
        defaultValue={C.timeout}
        min={1}
        max={900}
        error={errors["agent_code.configuration.timeout"]}
      />
      <NumberField
        id="concurrent_executions"
        label="Calls at once"
        hint={HELP.concurrent_executions}
        defaultValue={C.concurrent_executions}
        min={1}
        max={1000}
        error={errors["agent_code.configuration.concurrent_executions"]}
      />
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
      <div role="radiogroup" aria-label="Code" className="flex flex-wrap gap-4 text-sm">
        {(["artifact", "upload"] as const).map((k) => (
          <label key={k} className="flex items-center gap-2">
            <input
              type="radio"
              name="code_kind"
              value={k}
              checked={kind === k}
              disabled={k === "artifact" && artifacts.length === 0}
              onChange={() => {
                setKind(k);
                emit({ kind: k });
              }}
            />
            {k === "artifact" ? "An installed agent" : "Upload code"}
          </label>
        ))}
      </div>
      <p className="text-xs text-muted">{HELP.source}</p>
      {kind === "artifact" ? (
        <Field label="Installed agent" hint={HELP.artifact} error={errors["agent_code.artifact"]} htmlFor="artifact">
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
          <Field
            label="Code file"
            hint={HELP.file}
            error={readError ?? errors["agent_code.source_code"]}
            htmlFor="code_file"
          >
            <Input
              id="code_file"
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
          <Field label="Entrypoint" hint={HELP.entrypoint} error={errors["agent_code.entrypoint"]} htmlFor="entrypoint">
            <Input
              id="entrypoint"
              value={entrypoint}
              placeholder="server.mjs"
              required
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
