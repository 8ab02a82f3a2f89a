import Link from "next/link";
import { DocsSearch } from "./docs-search";
import { areaTitle, groupByTag, searchItems, type OpenApiDoc } from "./model";
import { MethodBadge } from "./method-badge";

/** Contents by area, with the current area's operations listed; folds into "Contents" on a phone. */
export function Sidebar({ doc, current }: { doc: OpenApiDoc; current: string | null }) {
  const groups = groupByTag(doc);
  const nav = (
    <div className="space-y-4">
      <DocsSearch items={searchItems(doc)} />
      <nav aria-label="API areas" className="text-sm">
        <ul className="space-y-0.5">
          <li>
            <Link
              href="/docs"
              aria-current={current === null ? "page" : undefined}
              className={`block rounded px-2 py-1 hover:bg-subtle ${current === null ? "bg-subtle font-semibold" : ""}`}
            >
              Introduction
            </Link>
            <ul className="ml-3 border-l border-line pl-2 text-xs">
              <li>
                <Link href="/docs#authentication" className="block px-1 py-0.5 text-muted hover:text-fg">
                  Authentication
                </Link>
              </li>
              <li>
                <Link href="/docs#errors" className="block px-1 py-0.5 text-muted hover:text-fg">
                  Errors
                </Link>
              </li>
              <li>
                <Link href="/docs#conventions" className="block px-1 py-0.5 text-muted hover:text-fg">
                  Lists, limits, streams
                </Link>
              </li>
            </ul>
          </li>
          {groups.map(([tag, ops]) => (
            <li key={tag}>
              <Link
                href={`/docs/${tag}`}
                aria-current={current === tag ? "page" : undefined}
                className={`flex items-center justify-between rounded px-2 py-1 hover:bg-subtle ${current === tag ? "bg-subtle font-semibold" : ""}`}
              >
                {areaTitle(tag)}
                <span className="text-xs text-muted">{ops.length}</span>
              </Link>
              {current === tag ? (
                <ul className="my-1 ml-3 space-y-0.5 border-l border-line pl-2">
                  {ops.map((op) => (
                    <li key={op.operationId}>
                      <a
                        href={`#${op.operationId}`}
                        className="flex items-center gap-1.5 rounded px-1 py-0.5 text-xs text-muted hover:text-fg"
                      >
                        <MethodBadge method={op.method} compact />
                        <code className="break-all font-mono">{op.path.replace(/^\/api/, "")}</code>
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
  return (
    <>
      <details className="rounded-lg border border-line bg-card p-3 lg:hidden">
        <summary className="cursor-pointer text-sm font-semibold">Contents and search</summary>
        <div className="mt-3">{nav}</div>
      </details>
      <aside className="hidden lg:block">
        <div className="sticky top-4 max-h-[calc(100vh-2rem)] overflow-y-auto pr-2">{nav}</div>
      </aside>
    </>
  );
}
