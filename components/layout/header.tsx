import Link from "next/link";
import { LiveNotice } from "./live-notice";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

export function Header({ user }: { user: { name: string; email: string } | null }) {
  return (
    <header className="sticky top-0 z-40 border-b border-line bg-card/90 backdrop-blur">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-base font-semibold tracking-tight sm:text-lg">
          <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-accent text-sm text-accent-fg">
            AM
          </span>
          Agent Market
        </Link>
        {/* Before the buttons in the source as on a wide screen, so Tab follows what the eye reads (on a phone the
            links wrap to a row of their own below). */}
        <div className="order-last w-full sm:order-none sm:w-auto">
          <NavLinks signedIn={!!user} />
        </div>
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          <ThemeToggle />
          {user ? (
            <>
              <Link
                href="/settings"
                className="hidden max-w-40 truncate rounded-md px-2 py-1 text-sm text-muted hover:text-fg sm:block"
                title={user.email}
              >
                {user.name}
              </Link>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/signin" className="rounded-md px-2.5 py-1.5 text-sm font-medium hover:bg-subtle">
                Sign in
              </Link>
              <Link
                href="/signup"
                className="rounded-md bg-accent px-2.5 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90"
              >
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
      {user ? <LiveNotice /> : null}
    </header>
  );
}
