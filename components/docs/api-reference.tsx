import { MethodBadge, Operation, type OperationDoc } from "./operation";
import { RichText } from "./rich-text";
import type { JsonSchema } from "./schema-rows";

export interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Omit<OperationDoc, "method" | "path"> & { tags?: string[] }>>;
  components?: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, { description?: string }> };
}

/** Operations grouped by their first tag, in document order. */
export function groupByTag(doc: OpenApiDoc): [string, OperationDoc[]][] {
  const groups = new Map<string, OperationDoc[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? "other";
      const list = groups.get(tag) ?? [];
      list.push({ ...op, method: method.toUpperCase(), path });
      groups.set(tag, list);
    }
  }
  return [...groups.entries()];
}

/** The whole reference: a table of contents by tag, then every operation. Server-rendered, no script. */
export function ApiReference({ doc }: { doc: OpenApiDoc }) {
  const groups = groupByTag(doc);
  const schemas = doc.components?.schemas ?? {};
  return (
    <div className="mx-auto max-w-5xl space-y-10 px-4 py-10 text-slate-900">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold">{doc.info.title}</h1>
        <p className="text-slate-700">
          <RichText text={doc.info.description ?? ""} />
        </p>
        <p className="text-sm text-slate-600">
          Version {doc.info.version} · Machine-readable:{" "}
          <a className="text-indigo-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>{" "}
          (OpenAPI 3.1)
        </p>
        <ul className="list-disc space-y-1 pl-6 text-sm text-slate-700">
          {Object.entries(doc.components?.securitySchemes ?? {}).map(([name, s]) => (
            <li key={name}>
              <span className="font-medium">{name}</span>: <RichText text={s.description ?? ""} />
            </li>
          ))}
        </ul>
      </header>
      <nav
        aria-label="Endpoints"
        className="grid gap-6 rounded-lg border border-slate-200 bg-slate-50 p-5 sm:grid-cols-2"
      >
        {groups.map(([tag, ops]) => (
          <div key={tag}>
            <a href={`#tag-${tag}`} className="font-semibold capitalize text-slate-900">
              {tag}
            </a>
            <ul className="mt-2 space-y-1">
              {ops.map((op) => (
                <li key={op.operationId}>
                  <a
                    href={`#${op.operationId}`}
                    className="flex items-center gap-2 text-sm text-slate-700 hover:text-indigo-700"
                  >
                    <MethodBadge method={op.method} />
                    <code className="font-mono text-xs">{op.path}</code>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      {groups.map(([tag, ops]) => (
        <section key={tag} id={`tag-${tag}`} className="scroll-mt-20 space-y-4">
          <h2 className="border-b border-slate-200 pb-2 text-2xl font-semibold capitalize">{tag}</h2>
          {ops.map((op) => (
            <Operation key={op.operationId} op={op} schemas={schemas} />
          ))}
        </section>
      ))}
    </div>
  );
}
