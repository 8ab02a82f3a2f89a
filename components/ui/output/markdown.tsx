import ReactMarkdown, { type Components } from "react-markdown";
import rehypeRaw from "rehype-raw";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./code-block";

/**
 * Markdown (and HTML inside it) rendered safely: raw HTML is parsed into the tree and then sanitised with the
 * GitHub schema (no scripts, no event handlers, no javascript: links, no styles), so an agent's answer can never run
 * anything in the page. Code blocks are highlighted.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="output-md" data-output="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeRaw, rehypeSanitize]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}

interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
}

const textOf = (n: HastNode): string => n.value ?? (n.children ?? []).map(textOf).join("");

const components: Components = {
  // A block of code (<pre><code>, from a fence or from HTML): highlighted, by its language class when it has one.
  pre: ({ node, children }) => {
    const code = (node as HastNode | undefined)?.children?.find((c) => c.tagName === "code");
    if (!code) return <pre className="output-code">{children}</pre>;
    const classes = code.properties?.className;
    const language = (Array.isArray(classes) ? classes : [])
      .map(String)
      .find((c) => c.startsWith("language-"))
      ?.slice("language-".length);
    return <CodeBlock code={textOf(code)} language={language} />;
  },
  code: ({ children }) => <code className="output-inline-code">{children}</code>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
};
