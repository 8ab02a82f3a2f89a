import { FieldTable } from "./field-table";
import { RichText } from "./rich-text";
import { fieldRows, typeLabel, type FieldRow, type JsonSchema } from "./schema-rows";

export interface OperationDoc {
  method: string;
  path: string;
  operationId: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  "x-auth"?: string;
  "x-scopes"?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

const METHOD_COLORS: Record<string, string> = {
  GET: "bg-sky-100 text-sky-800",
  POST: "bg-emerald-100 text-emerald-800",
  PUT: "bg-amber-100 text-amber-800",
  PATCH: "bg-amber-100 text-amber-800",
  DELETE: "bg-rose-100 text-rose-800",
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={`inline-block w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-semibold ${METHOD_COLORS[method] ?? "bg-slate-100"}`}
    >
      {method}
    </span>
  );
}

function AuthLine({ op }: { op: OperationDoc }) {
  const auth = op["x-auth"] ?? (op.security?.length ? "required" : "public");
  const label =
    auth === "public"
      ? "Public: no credentials"
      : auth === "optional"
        ? "Credentials optional: X-Agent-Key, Bearer key or session"
        : "Requires X-Agent-Key, a Bearer key or a session";
  return (
    <p className="text-sm text-slate-600">
      <span className="font-medium text-slate-800">Auth:</span> {label}
      {op["x-scopes"]?.length ? (
        <>
          {" · "}
          <span className="font-medium text-slate-800">Scopes:</span>{" "}
          {op["x-scopes"].map((s) => (
            <code key={s} className="mr-1 rounded bg-slate-100 px-1 text-xs">
              {s}
            </code>
          ))}
        </>
      ) : null}
    </p>
  );
}

function paramRows(op: OperationDoc, schemas: Record<string, JsonSchema>): FieldRow[] {
  return (op.parameters ?? []).map((p) => ({
    name: `${p.name} (${p.in})`,
    type: p.schema ? typeLabel(p.schema, schemas) : "string",
    required: !!p.required,
    description: p.description ?? p.schema?.description ?? "",
    depth: 0,
  }));
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="space-y-2">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      {children}
    </div>
  );
}

/** One operation: method, path, summary, auth, parameters, request body and responses. */
export function Operation({ op, schemas }: { op: OperationDoc; schemas: Record<string, JsonSchema> }) {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const statuses = Object.keys(op.responses).sort();
  const success = statuses.filter((s) => s.startsWith("2"));
  const errors = statuses.filter((s) => !s.startsWith("2"));
  const details = op.description?.split("\n\n")[0];
  return (
    <article id={op.operationId} className="scroll-mt-20 space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <header className="space-y-2">
        <a href={`#${op.operationId}`} className="flex flex-wrap items-center gap-3 no-underline">
          <MethodBadge method={op.method} />
          <code className="font-mono text-sm font-semibold text-slate-900">{op.path}</code>
        </a>
        {details ? (
          <p className="text-slate-800">
            <RichText text={details} />
          </p>
        ) : null}
        <AuthLine op={op} />
      </header>
      {op.parameters?.length ? (
        <Section title="Parameters">
          <FieldTable rows={paramRows(op, schemas)} />
        </Section>
      ) : null}
      {body ? (
        <Section title="Request body (application/json)">
          <FieldTable rows={fieldRows(body, schemas)} empty={`A ${typeLabel(body, schemas)}.`} />
        </Section>
      ) : null}
      {success.map((status) => {
        const res = op.responses[status]!;
        const [type, media] = Object.entries(res.content ?? {})[0] ?? [];
        return (
          <Section key={status} title={`Response ${status}${type ? ` (${type})` : ""}`}>
            {res.description ? (
              <p className="text-sm text-slate-600">
                <RichText text={res.description} />
              </p>
            ) : null}
            {media?.schema ? (
              <FieldTable rows={fieldRows(media.schema, schemas)} empty={`A ${typeLabel(media.schema, schemas)}.`} />
            ) : null}
          </Section>
        );
      })}
      <Section title="Errors (the one error format)">
        <ul className="space-y-1 text-sm text-slate-700">
          {errors.map((status) => (
            <li key={status}>
              <code className="mr-2 rounded bg-slate-100 px-1 font-mono text-xs">{status}</code>
              <RichText text={op.responses[status]?.description ?? ""} />
            </li>
          ))}
        </ul>
      </Section>
    </article>
  );
}
