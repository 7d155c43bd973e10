"use client";

import { useState, type FormEvent } from "react";

const input =
  "mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";
const button = "rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60";

/** Posts to better-auth's sign-in endpoint (its limiter and the audit hooks see every attempt). */
export function SignInForm({ next, oidcName }: { next: string; oidcName: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const r = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
    }).catch(() => null);
    setBusy(false);
    if (r?.ok) {
      window.location.assign(next);
      return;
    }
    setError(
      r === null
        ? "The server could not be reached."
        : r.status === 429
          ? "Too many sign-in attempts: wait a few minutes and try again."
          : r.status === 401
            ? "Wrong e-mail or password."
            : `Sign-in failed (${r.status}).`,
    );
  }

  async function singleSignOn() {
    setBusy(true);
    const r = await fetch("/api/auth/sign-in/social", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "oidc", callbackURL: next, errorCallbackURL: "/sign-in" }),
    }).catch(() => null);
    const body = r?.ok ? ((await r.json()) as { url?: string }) : null;
    if (body?.url) window.location.assign(body.url);
    else {
      setBusy(false);
      setError("Single sign-on could not start.");
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4" aria-label="Sign in">
        <label className="block text-sm font-medium">
          E-mail
          <input name="email" type="email" autoComplete="username" required className={input} />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input name="password" type="password" autoComplete="current-password" required className={input} />
        </label>
        {error ? (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} className={button}>
          Sign in
        </button>
      </form>
      {oidcName ? (
        <button
          type="button"
          onClick={singleSignOn}
          disabled={busy}
          className="w-full rounded border border-slate-300 px-4 py-2 text-sm font-medium dark:border-slate-700"
        >
          Sign in with {oidcName}
        </button>
      ) : null}
    </div>
  );
}
