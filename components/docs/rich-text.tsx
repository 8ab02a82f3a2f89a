/** Text from the document with its `code` spans rendered as code (the summaries use Markdown backticks). */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-subtle px-1 font-mono text-[0.85em] text-fg">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
