import Link from "next/link";
import { AREA_BLURBS, areaTitle, type OpenApiDoc } from "./model";
import { Operation, type OperationDoc } from "./operation";

/** One area of the API: every operation with its anchor, fields, examples and errors. Server-rendered, no script. */
export function AreaReference({ doc, tag, ops }: { doc: OpenApiDoc; tag: string; ops: OperationDoc[] }) {
  const schemas = doc.components?.schemas ?? {};
  return (
    <>
      <header className="space-y-1">
        <p className="text-sm text-muted">
          <Link href="/docs" className="hover:underline">
            API reference
          </Link>{" "}
          /
        </p>
        <h1 className="text-3xl font-bold">{areaTitle(tag)}</h1>
        {AREA_BLURBS[tag] ? <p className="text-muted">{AREA_BLURBS[tag]}</p> : null}
        <p className="text-sm text-muted">
          Every call needs the credentials of{" "}
          <Link href="/docs#authentication" className="text-accent underline">
            Authentication
          </Link>{" "}
          unless it says public; failures use the one{" "}
          <Link href="/docs#errors" className="text-accent underline">
            error format
          </Link>
          .
        </p>
      </header>
      {ops.map((op) => (
        <Operation key={op.operationId} op={op} schemas={schemas} />
      ))}
    </>
  );
}
