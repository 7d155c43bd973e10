import { createTransport } from "nodemailer";

/**
 * E-mail is configured by the environment: ALLOWLIST_SMTP_URL (smtp://user:pass@host:587 or smtps://… ; STARTTLS is
 * used when the server offers it), ALLOWLIST_MAIL_FROM and ALLOWLIST_MAIL_TO (comma-separated recipients).
 */
export interface MailConfig {
  readonly url: string;
  readonly from: string;
  readonly to: readonly string[];
}

export function readMailConfig(env: Record<string, string | undefined>): MailConfig | null {
  const url = env.ALLOWLIST_SMTP_URL?.trim();
  const to = (env.ALLOWLIST_MAIL_TO ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (!url || to.length === 0) return null;
  return { url, from: env.ALLOWLIST_MAIL_FROM?.trim() || "allowlist-admin@localhost", to };
}

/** The configured server for display: host and port, never the credentials. */
export function describeMailServer(config: MailConfig): string {
  try {
    const u = new URL(config.url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}`;
  } catch {
    return "an unreadable ALLOWLIST_SMTP_URL";
  }
}

export type MailResult =
  { readonly ok: true; readonly code: number } | { readonly ok: false; readonly code?: number; readonly error: string };

/** Sends one plain-text message. Never throws. */
export async function sendMail(config: MailConfig, subject: string, text: string): Promise<MailResult> {
  let transport: ReturnType<typeof createTransport> | undefined;
  try {
    const url = new URL(config.url);
    for (const [key, value] of [
      ["connectionTimeout", "10000"],
      ["greetingTimeout", "10000"],
      ["socketTimeout", "20000"],
    ] as const) {
      if (!url.searchParams.has(key)) url.searchParams.set(key, value);
    }
    transport = createTransport(url.href);
    const info = await transport.sendMail({ from: config.from, to: [...config.to], subject, text });
    const code = Number(/^(\d{3})/.exec(String(info.response ?? ""))?.[1] ?? 250);
    return { ok: true, code };
  } catch (error) {
    const e = error as { responseCode?: number; message?: string; code?: string };
    return {
      ok: false,
      ...(e.responseCode ? { code: e.responseCode } : {}),
      error: e.message ?? e.code ?? String(error),
    };
  } finally {
    transport?.close();
  }
}
