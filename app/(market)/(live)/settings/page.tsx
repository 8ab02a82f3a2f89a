import { SettingsView } from "@/components/settings/settings-view";
import { Card, PageTitle, SectionTitle } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { requireUser } from "@/lib/client/server";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  return (
    <div className="space-y-6">
      <PageTitle sub="Your profile, the agents you own, their keys, services and runtime.">Settings</PageTitle>
      <Card>
        <SectionTitle>Profile</SectionTitle>
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-muted">Name</dt>
            <dd data-testid="profile-name">{user.name}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Member since</dt>
            <dd>{formatDateTime(user.created_at)}</dd>
          </div>
        </dl>
      </Card>
      <SettingsView />
    </div>
  );
}
