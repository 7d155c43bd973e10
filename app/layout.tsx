import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/AppHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Allowlist Admin", template: "%s · Allowlist Admin" },
  description: "Check and export the NAT IPs a SaaS vendor asks you to allowlist.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1220" },
  ],
};

// Runs before first paint so a dark-mode user never sees a white flash. Kept tiny and dependency-free.
const themeScript = `(function(){try{var t=localStorage.getItem("theme");var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The per-request nonce of the Content-Security-Policy (proxy.ts): the one inline script of our own carries it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
        {/* No paint of a half-read page: Chromium painted the HTML as it arrived (on a slow link, or a busy machine), so
            the header's links and the editor's options were drawn and then pushed aside by what came next (a 0.028
            layout shift; e2e/firewalls.spec.ts). The first paint waits until the end of <main> is parsed (HTML's
            render-blocking `rel=expect`); a streamed page's loading shell still paints at once. */}
        <link rel="expect" href="#main-end" blocking="render" />
      </head>
      <body className="min-h-screen bg-white font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-sky-600 focus:px-3 focus:py-2 focus:text-white"
        >
          Skip to content
        </a>
        <AppHeader />
        <main id="main" className="mx-auto w-full max-w-7xl px-4 py-6 sm:px-6">
          {children}
          <span id="main-end" hidden />
        </main>
      </body>
    </html>
  );
}
