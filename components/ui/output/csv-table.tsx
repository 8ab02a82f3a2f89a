const MAX_ROWS = 1000;

/** CSV rows as a table, the first row as its header. */
export function CsvTable({ rows }: { rows: string[][] }) {
  const [head = [], ...body] = rows;
  return (
    <div className="overflow-x-auto rounded-md border border-line" data-output="csv">
      <table className="w-full text-left text-sm">
        <thead className="bg-subtle text-xs font-semibold">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {body.slice(0, MAX_ROWS).map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j} className="px-3 py-1.5 align-top">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {body.length > MAX_ROWS ? (
        <p className="px-3 py-2 text-xs text-muted">
          Showing {MAX_ROWS} of {body.length} rows.
        </p>
      ) : null}
    </div>
  );
}
