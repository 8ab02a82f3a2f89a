import { OutputView } from "@/components/ui/output/output-view";
import { Spinner } from "@/components/ui/states";
import type { Bubble } from "./transcript";

const NOTES: Partial<Record<NonNullable<Bubble["state"]>, string>> = {
  incomplete: "(answer incomplete)",
  stopped: "(stopped)",
};

/** One bubble: the person's prompt as typed, the agent's answer rendered by what it is (Markdown, JSON, CSV, text). */
export function ChatBubble({ bubble }: { bubble: Bubble }) {
  const mine = bubble.role === "you";
  return (
    <div className={`flex ${mine ? "justify-end" : "justify-start"}`}>
      <div
        data-testid={mine ? "prompt" : "answer"}
        data-state={bubble.state}
        data-chunks={bubble.chunks}
        className={`min-w-0 max-w-[85%] break-words rounded-2xl px-4 py-2 text-sm ${
          mine
            ? "whitespace-pre-wrap bg-accent text-accent-fg"
            : bubble.state === "error"
              ? "bg-bad/10 text-bad"
              : "bg-subtle"
        }`}
      >
        {mine || bubble.state === "error" ? (
          bubble.text
        ) : bubble.text ? (
          <OutputView value={bubble.text} />
        ) : bubble.state === "streaming" ? (
          <Spinner label="Thinking" />
        ) : null}
        {bubble.state && NOTES[bubble.state] ? (
          <span className="mt-1 block text-xs text-muted">{NOTES[bubble.state]}</span>
        ) : null}
      </div>
    </div>
  );
}
