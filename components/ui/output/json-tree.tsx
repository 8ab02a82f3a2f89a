/**
 * A JSON value as a tree of native <details> elements: collapsible with no script (works in server components),
 * keyboard-accessible, the first two levels open.
 */
const OPEN_DEPTH = 2;
const MAX_CHILDREN = 500;

function Primitive({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="json-number">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="json-boolean">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Key({ name }: { name: string | number | null }) {
  if (name === null) return null;
  return <span className="json-key">{typeof name === "number" ? `${name}: ` : `${JSON.stringify(name)}: `}</span>;
}

function Node({ name, value, depth }: { name: string | number | null; value: unknown; depth: number }) {
  if (value === null || typeof value !== "object") {
    return (
      <div className="pl-4">
        <Key name={name} />
        <Primitive value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string | number, unknown][] = isArray
    ? (value as unknown[]).map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className="pl-4">
        <Key name={name} />
        {open}
        {close}
      </div>
    );
  }
  const count = `${entries.length} ${isArray ? (entries.length === 1 ? "item" : "items") : entries.length === 1 ? "key" : "keys"}`;
  return (
    <details open={depth < OPEN_DEPTH} className="json-node pl-4">
      <summary className="cursor-pointer select-none">
        <Key name={name} />
        {open}
        <span className="json-count text-muted"> {count} </span>
        <span className="json-close">{close}</span>
      </summary>
      {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
        <Node key={k} name={k} value={v} depth={depth + 1} />
      ))}
      {entries.length > MAX_CHILDREN ? (
        <div className="pl-4 text-muted">… {entries.length - MAX_CHILDREN} more</div>
      ) : null}
      <div>{close}</div>
    </details>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json-tree -ml-4 overflow-x-auto font-mono text-xs leading-5" data-output="json">
      <Node name={null} value={value} depth={0} />
    </div>
  );
}
