"use client";

import { useState, type FormEvent } from "react";

const input =
  "mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

async function post(path: string, body: unknown = {}): Promise<Response | null> {
  return fetch(`/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).catch(() => null);
}

/** Password change and sign-out (here, or on every device), through better-auth's endpoints. */
export function AccountControls() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function changePassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    if (form.get("newPassword") !== form.get("confirm")) {
      setMessage({ ok: false, text: "The two new passwords differ." });
      return;
    }
    const r = await post("/change-password", {
      currentPassword: form.get("currentPassword"),
      newPassword: form.get("newPassword"),
      revokeOtherSessions: true,
    });
    if (r?.ok) {
      formElement.reset();
      setMessage({ ok: true, text: "Password changed. Your other sessions were signed out." });
    } else {
      const body = r ? ((await r.json().catch(() => ({}))) as { message?: string }) : {};
      setMessage({
        ok: false,
        text:
          r?.status === 400 && body.message
            ? body.message
            : r?.status === 429
              ? "Too many attempts: wait a minute."
              : "The password could not be changed.",
      });
    }
  }

  async function signOut(everywhere: boolean) {
    if (everywhere) await post("/revoke-sessions");
    await post("/sign-out");
    // A full page load, not a client navigation: nothing rendered for the signed-in person stays in the router's cache.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/sign-in");
  }

  return (
    <section className="space-y-4" aria-labelledby="password">
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          onClick={() => void signOut(false)}
          className="rounded border border-slate-300 px-4 py-2 text-sm font-medium dark:border-slate-700"
        >
          Sign out
        </button>
        <button
          type="button"
          onClick={() => void signOut(true)}
          className="rounded border border-slate-300 px-4 py-2 text-sm font-medium dark:border-slate-700"
        >
          Sign out everywhere
        </button>
      </div>
      <h2 id="password" className="text-lg font-semibold">
        Change password
      </h2>
      <form onSubmit={changePassword} className="grid max-w-md gap-3" aria-label="Change password">
        <label className="text-sm font-medium">
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required className={input} />
        </label>
        <label className="text-sm font-medium">
          New password (at least 12 characters)
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            className={input}
          />
        </label>
        <label className="text-sm font-medium">
          New password again
          <input name="confirm" type="password" autoComplete="new-password" required className={input} />
        </label>
        <button
          type="submit"
          className="w-fit rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800"
        >
          Change password
        </button>
        {message ? (
          <p
            role={message.ok ? "status" : "alert"}
            className={`text-sm ${message.ok ? "" : "text-red-800 dark:text-red-300"}`}
          >
            {message.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}
