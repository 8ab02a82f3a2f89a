import { OutputView } from "@/components/ui/output/output-view";
import { Spinner } from "@/components/ui/states";
import type { Turn } from "./transcript";

const NOTES: Partial<Record<NonNullable<Turn["state"]>, string>> = {
  incomplete: "(answer incomplete)",
  stopped: "(stopped)",
};

/** One bubble: the person's prompt as typed, the agent's answer rendered by what it is (Markdown, JSON, CSV, text). */
export function TurnBubble({ turn }: { turn: Turn }) {
  const mine = turn.role === "you";
  return (
    <div className={`flex ${mine ? "justify-end" : "justify-start"}`}>
      <div
        data-testid={mine ? "prompt" : "answer"}
        data-state={turn.state}
        data-chunks={turn.chunks}
        className={`min-w-0 max-w-[85%] break-words rounded-2xl px-4 py-2 text-sm ${
          mine
            ? "whitespace-pre-wrap bg-accent text-accent-fg"
            : turn.state === "error"
              ? "bg-bad/10 text-bad"
              : "bg-subtle"
        }`}
      >
        {mine || turn.state === "error" ? (
          turn.text
        ) : turn.text ? (
          <OutputView value={turn.text} />
        ) : turn.state === "streaming" ? (
          <Spinner label="Thinking" />
        ) : null}
        {turn.state && NOTES[turn.state] ? (
          <span className="mt-1 block text-xs text-muted">{NOTES[turn.state]}</span>
        ) : null}
      </div>
    </div>
  );
}
