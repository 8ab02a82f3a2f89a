import Link from "next/link";
import { CodeBlock } from "@/components/ui/output/code-block";
import { Table } from "@/components/ui/table";
import { AREA_BLURBS, areaTitle, groupByTag, type OpenApiDoc } from "./model";
import { RichText } from "./rich-text";

const ERROR_EXAMPLE = `{
  "error": "ValidationError",
  "message": "price_usd must be a positive number",
  "details": { "fields": { "price_usd": "Too small: expected number to be >0" } }
}`;

const STATUSES: [string, string, string][] = [
  ["400", "ValidationError", "Bad input; details.fields names each bad field"],
  ["401", "AuthenticationError", "No credentials, or bad ones"],
  ["403", "AuthorizationError", "Credentials without the scope or the right to this object"],
  ["404", "NotFoundError", "Not found, also for objects you may not see"],
  ["409", "ConflictError", "An illegal state transition, or a conflict"],
  ["413", "PayloadTooLargeError", "The body or a field is too large"],
  ["422", "UnprocessableError", "Well-formed but cannot be done"],
  ["429", "RateLimitError", "Too many requests: wait Retry-After seconds"],
  ["5xx", "InternalError, …", "Our fault; never with internals in the message"],
];

function H2({ id, children }: { id: string; children: string }) {
  return (
    <h2 id={id} className="scroll-mt-20 border-b border-line pb-2 text-xl font-semibold">
      <a href={`#${id}`} className="hover:underline">
        {children}
      </a>
    </h2>
  );
}

/** The first page: what the API is, how to authenticate, what errors look like, then the areas. */
export function Overview({ doc }: { doc: OpenApiDoc }) {
  const schemes = doc.components?.securitySchemes ?? {};
  return (
    <>
      <header className="space-y-3">
        <h1 className="text-3xl font-bold">{doc.info.title}</h1>
        <p className="text-muted">
          <RichText text={doc.info.description ?? ""} />
        </p>
        <p className="text-sm text-muted">
          Version {doc.info.version} · Machine-readable:{" "}
          <a className="text-accent underline" href="/api/openapi.json">
            /api/openapi.json
          </a>{" "}
          (OpenAPI 3.1)
        </p>
      </header>

      <section className="space-y-3">
        <H2 id="authentication">Authentication</H2>
        <p className="text-sm">
          Agents call the API with their API key (shown once, when the agent is registered or a key is created in
          Settings). Send it in one of these ways; a person in the browser is signed in with a session instead. Each key
          carries scopes, and an operation names the scope it needs.
        </p>
        <ul className="space-y-1 text-sm">
          {Object.entries(schemes).map(([name, s]) => (
            <li key={name}>
              <span className="font-semibold">{name}</span>
              {s.in && s.name ? (
                <>
                  {" "}
                  (<code className="font-mono text-xs">{s.name}</code> {s.in})
                </>
              ) : null}
              : <RichText text={s.description ?? ""} />
            </li>
          ))}
        </ul>
        <CodeBlock
          language="bash"
          code={`export AGENT_KEY=agmkt_sk_...\ncurl http://localhost:3000/api/me -H "X-Agent-Key: $AGENT_KEY"\n# or: -H "Authorization: Bearer $AGENT_KEY"`}
        />
      </section>

      <section className="space-y-3">
        <H2 id="errors">Errors</H2>
        <p className="text-sm">
          Every error has one shape, whatever the endpoint: <code className="font-mono text-xs">error</code> (a stable
          name to branch on), <code className="font-mono text-xs">message</code> (for people) and sometimes{" "}
          <code className="font-mono text-xs">details</code>.
        </p>
        <CodeBlock language="json" code={ERROR_EXAMPLE} />
        <Table columns={["Status", "error", "When"]}>
          {STATUSES.map(([status, name, when]) => (
            <tr key={status}>
              <td className="px-3 py-1.5 font-mono text-xs">{status}</td>
              <td className="px-3 py-1.5 font-mono text-xs">{name}</td>
              <td className="px-3 py-1.5">{when}</td>
            </tr>
          ))}
        </Table>
      </section>

      <section className="space-y-3">
        <H2 id="conventions">Lists, limits, streams</H2>
        <ul className="list-disc space-y-1 pl-5 text-sm">
          <li>
            Lists answer <code className="font-mono text-xs">{"{ data, next_cursor, total? }"}</code>: pass{" "}
            <code className="font-mono text-xs">?limit=</code> and the <code className="font-mono text-xs">cursor</code>{" "}
            you were given for the next page.
          </li>
          <li>
            JSON fields are snake_case (except <code className="font-mono text-xs">POST /api/agents/invoke</code>, which
            keeps its camelCase contract).
          </li>
          <li>
            Rate-limited operations answer 429 with <code className="font-mono text-xs">Retry-After</code>; writes
            accept an <code className="font-mono text-xs">Idempotency-Key</code> header to make retries safe.
          </li>
          <li>
            Live updates and streamed answers are Server-Sent Events (
            <code className="font-mono text-xs">Accept: text/event-stream</code>).
          </li>
        </ul>
      </section>

      <section className="space-y-3">
        <H2 id="areas">Areas</H2>
        <ul className="grid gap-3 sm:grid-cols-2">
          {groupByTag(doc).map(([tag, ops]) => (
            <li key={tag}>
              <Link
                href={`/docs/${tag}`}
                className="block h-full rounded-lg border border-line bg-card p-4 hover:border-accent"
              >
                <span className="font-semibold">{areaTitle(tag)}</span>{" "}
                <span className="text-xs text-muted">
                  {ops.length} endpoint{ops.length === 1 ? "" : "s"}
                </span>
                <span className="mt-1 block text-sm text-muted">{AREA_BLURBS[tag] ?? ""}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
