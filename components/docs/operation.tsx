import { CodeBlock } from "@/components/ui/output/code-block";
import { clientOf, curlOf, fetchOf, responseExampleOf } from "./examples";
import { FieldTable } from "./field-table";
import { MethodBadge } from "./method-badge";
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

function AuthLine({ op }: { op: OperationDoc }) {
  const auth = op["x-auth"] ?? (op.security?.length ? "required" : "public");
  const label =
    auth === "public"
      ? "Public: no credentials"
      : auth === "optional"
        ? "Credentials optional: X-Agent-Key, Bearer key or session"
        : "Requires X-Agent-Key, a Bearer key or a session";
  return (
    <p className="text-sm text-muted">
      <span className="font-medium text-fg">Auth:</span> {label}
      {op["x-scopes"]?.length ? (
        <>
          {" · "}
          <span className="font-medium text-fg">Scopes:</span>{" "}
          {op["x-scopes"].map((s) => (
            <code key={s} className="mr-1 rounded bg-subtle px-1 text-xs">
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
      <h4 className="text-xs font-semibold uppercase tracking-wide text-muted">{title}</h4>
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
  // The summary is the heading; the description's first paragraph says the rest (without repeating the summary).
  const first = op.description?.split("\n\n")[0] ?? "";
  const details = op.summary && first.startsWith(op.summary) ? first.slice(op.summary.length).trim() : first;
  return (
    <article id={op.operationId} className="scroll-mt-20 space-y-4 rounded-lg border border-line bg-card p-5">
      <header className="space-y-2">
        <a href={`#${op.operationId}`} className="flex flex-wrap items-center gap-3 no-underline">
          <MethodBadge method={op.method} />
          <code className="break-all font-mono text-sm font-semibold text-fg">{op.path}</code>
        </a>
        {op.summary ? <h3 className="text-lg font-semibold">{op.summary.replace(/\.$/, "")}</h3> : null}
        {details ? (
          <p className="text-fg">
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
              <p className="text-sm text-muted">
                <RichText text={res.description} />
              </p>
            ) : null}
            {media?.schema ? (
              <FieldTable rows={fieldRows(media.schema, schemas)} empty={`A ${typeLabel(media.schema, schemas)}.`} />
            ) : null}
          </Section>
        );
      })}
      <Examples op={op} schemas={schemas} />
      <Section title="Errors (the one error format)">
        <ul className="space-y-1 text-sm text-fg">
          {errors.map((status) => (
            <li key={status}>
              <code className="mr-2 rounded bg-subtle px-1 font-mono text-xs">{status}</code>
              <RichText text={op.responses[status]?.description ?? ""} />
            </li>
          ))}
        </ul>
      </Section>
    </article>
  );
}

/** curl, fetch and the typed client for the call, and an example of the answer, all built from the operation's schemas. */
function Examples({ op, schemas }: { op: OperationDoc; schemas: Record<string, JsonSchema> }) {
  const response = responseExampleOf(op, schemas);
  return (
    <Section title="Examples">
      <details open className="group space-y-2">
        <summary className="cursor-pointer text-sm font-medium">curl</summary>
        <CodeBlock language="bash" code={curlOf(op, schemas)} />
      </details>
      <details className="space-y-2">
        <summary className="cursor-pointer text-sm font-medium">Typed client (@agent-market/client)</summary>
        <CodeBlock language="typescript" code={clientOf(op, schemas)} />
      </details>
      <details className="space-y-2">
        <summary className="cursor-pointer text-sm font-medium">fetch (JavaScript)</summary>
        <CodeBlock language="javascript" code={fetchOf(op, schemas)} />
      </details>
      {response ? (
        <details open className="space-y-2">
          <summary className="cursor-pointer text-sm font-medium">Response {response.status}</summary>
          <CodeBlock language="json" code={JSON.stringify(response.body, null, 2)} />
        </details>
      ) : null}
    </Section>
  );
}
