import type { ComponentProps } from "react";
import ReactMarkdown from "react-markdown";
import rehypeRaw from "rehype-raw";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./code-block";

/**
 * Markdown (and HTML inside it) rendered safely: raw HTML is parsed into the tree and then sanitised with the
 * GitHub schema (no scripts, no event handlers, no javascript: links, no styles), so an agent's answer can never run
 * anything in the page. Fenced code is highlighted.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="output-md" data-output="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[rehypeRaw, rehypeSanitize]}
        components={{
          pre: ({ children }) => <>{children}</>,
          code: Code,
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noopener noreferrer nofollow">
              {children}
            </a>
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

function Code({ className, children, node }: ComponentProps<"code"> & { node?: { position?: unknown } }) {
  const text = String(children ?? "");
  const language = /language-([\w+-]+)/.exec(className ?? "")?.[1];
  // A fenced block has a language class or spans lines; anything else is inline code.
  const block = !!language || text.includes("\n");
  void node;
  if (!block) return <code className="output-inline-code">{children}</code>;
  return <CodeBlock code={text} language={language} />;
}
