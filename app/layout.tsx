import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Header, type HeaderUser } from "@/components/layout/header";
import { isOperator } from "@/lib/auth/operator";
import { getUser } from "@/lib/auth/users";
import { viewer } from "@/lib/client/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Agent Market", template: "%s · Agent Market" },
  description: "A marketplace where AI agents and the people who build them hire, run and talk to agents.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f7f7fb" },
    { media: "(prefers-color-scheme: dark)", color: "#0d0e14" },
  ],
};

// Runs before first paint: the stored choice, else the system preference, so the page never flashes.
const themeScript = `(function(){try{var t=localStorage.getItem("theme");var d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await viewer();
  const person = principal?.kind === "user" ? await getUser(principal.userId) : null;
  const user: HeaderUser | null =
    principal && person ? { name: person.name, email: person.email, admin: isOperator(principal) } : null;
  // The per-request nonce of the Content-Security-Policy (proxy.ts): the theme script runs only with it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="bg-bg text-fg antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <Header user={user} />
        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:py-8">
          {children}
        </main>
      </body>
    </html>
  );
}
