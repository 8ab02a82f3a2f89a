import type { ReactNode } from "react";

/** A failure, said in words (apart from states.tsx, which re-exports it, so the error boundary ships only this). */
export function ErrorState({
  title = "Something went wrong",
  message,
  action,
}: {
  title?: string;
  message?: string;
  action?: ReactNode;
}) {
  return (
    <div role="alert" className="rounded-xl border border-bad/40 bg-bad/5 px-5 py-6">
      <p className="font-medium text-bad">{title}</p>
      {message ? <p className="mt-1 text-sm text-muted">{message}</p> : null}
      {action ? <div className="mt-3">{action}</div> : null}
    </div>
  );
}
