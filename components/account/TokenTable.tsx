import { revokeTokenAction } from "@/app/account/actions";
import type { ApiTokenView } from "@/lib/auth/api-token-view";

function when(d: Date | null): string {
  return d ? d.toISOString().replace("T", " ").slice(0, 16) : "—";
}

function state(t: ApiTokenView, now: Date): string {
  if (t.revokedAt) return `revoked ${when(t.revokedAt)}`;
  if (t.expiresAt && t.expiresAt <= now) return `expired ${when(t.expiresAt)}`;
  return t.expiresAt ? `active until ${when(t.expiresAt)}` : "active, no expiry";
}

export function TokenTable({
  tokens,
  showOwner,
}: {
  tokens: readonly (ApiTokenView & { email: string })[];
  showOwner: boolean;
}) {
  const now = new Date();
  if (tokens.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No tokens yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th className="py-2 pr-3">Name</th>
            {showOwner ? <th className="py-2 pr-3">Owner</th> : null}
            <th className="py-2 pr-3">Role</th>
            <th className="py-2 pr-3">Token</th>
            <th className="py-2 pr-3">State</th>
            <th className="py-2 pr-3">Last used</th>
            <th className="py-2" />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-b border-slate-100 dark:border-slate-900">
              <td className="py-2 pr-3">{t.name}</td>
              {showOwner ? <td className="py-2 pr-3">{t.email}</td> : null}
              <td className="py-2 pr-3">{t.role}</td>
              <td className="py-2 pr-3 font-mono">{t.tokenHint}</td>
              <td className="py-2 pr-3">{state(t, now)}</td>
              <td className="py-2 pr-3">
                {t.lastUsedAt ? `${when(t.lastUsedAt)} from ${t.lastUsedIp ?? "?"}` : "never"}
              </td>
              <td className="py-2">
                {t.revokedAt ? null : (
                  <form action={revokeTokenAction}>
                    <input type="hidden" name="id" value={t.id} />
                    <button
                      type="submit"
                      className="text-red-800 underline dark:text-red-300"
                      aria-label={`Revoke token ${t.name}`}
                    >
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
