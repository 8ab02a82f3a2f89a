import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { safeCallbackUrl } from "@/lib/auth/redirect";
import { currentUser } from "@/lib/client/server";
import { env } from "@/lib/env";

export const metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  if (await currentUser()) redirect(safeCallbackUrl(callbackUrl));
  const e = env();
  return <AuthForm mode="signup" callbackUrl={callbackUrl} github={!!(e.GITHUB_ID && e.GITHUB_SECRET)} />;
}
