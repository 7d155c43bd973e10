import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Why these IPs" };

export default async function HelpPage() {
  await requirePage("catalog:read", "/help");
  return (
    <article className="max-w-3xl space-y-6 leading-relaxed">
      <h1 className="text-2xl font-semibold tracking-tight">Allowlisting Freshworks NAT IPs</h1>

      <section aria-labelledby="why">
        <h2 id="why" className="text-lg font-semibold">
          Why these addresses
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          When Freshchat sends a webhook, or a Freddy Self-service bot flow calls your API, the connection is opened by
          Freshworks toward <em>your</em> servers. Freshworks starts every such call from a small, published set of NAT
          IP addresses per region (US, EU, IN and AU). If your firewall only lets known sources in, those addresses must
          be on its allowlist, or the calls are dropped and webhooks silently stop arriving.
        </p>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Allow the regions your Freshworks account lives in. Listing only the vendor&apos;s NAT IPs, rather than
          opening the port to everyone, keeps the benefit of an allowlist: calls from anywhere else are still refused.
        </p>
      </section>

      <section aria-labelledby="port">
        <h2 id="port" className="text-lg font-semibold">
          Which port
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          The port is yours to choose, because the destination is your server: Freshworks connects to whatever URL you
          configured. For an <code>https://</code> URL that is TCP 443, which is what Allowlist Admin checks and exports
          by default; if your endpoint listens elsewhere, set that port instead. Allow the NAT IPs inbound only, to the
          port your endpoint uses.
        </p>
      </section>

      <section aria-labelledby="domain">
        <h2 id="domain" className="text-lg font-semibold">
          Why not allowlist a domain instead
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          A firewall sees where a connection comes from as an IP address, not as a name. The only domain involved is
          your own (the one you gave Freshchat or your bot for webhooks), and it is the destination, not the source.
          There is no Freshworks domain whose lookup would tell your firewall which callers are legitimate, so the NAT
          IPs are what identifies Freshworks as the caller.
        </p>
      </section>

      <section aria-labelledby="path">
        <h2 id="path" className="text-lg font-semibold">
          What a verdict means, and how to see why
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Every verdict answers one question: can a new TCP connection from a published NAT IP, arriving from the
          Internet, reach your port? A config is read as the path such a connection takes (for iptables, the INPUT chain
          when the service is the firewall host itself, FORWARD when it runs behind it), and rules it never meets (only
          for established connections, only on another interface, in a chain off the path) are shown as &ldquo;Never
          met&rdquo;. What the paste does not say is assumed and stated in one line above the results, where you can
          change it: the protected service (the host itself or a host behind it) and the Internet-facing interface or
          zone.
        </p>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Click a published IP in the Missing or Covered table, or type any address in &ldquo;Trace an address&rdquo;,
          to see its trace: each place the connection crosses, every rule holding the address that it meets, whether it
          matched and why, and what decided. The command line (<code>allowlist trace</code>) and the API (
          <code>POST /api/v1/trace</code>) give the same trace.
        </p>
      </section>

      <section aria-labelledby="api">
        <h2 id="api" className="text-lg font-semibold">
          Automate it
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Every operation of the REST API, with its permission and request body, is on the{" "}
          <Link href="/help/api" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
            API page
          </Link>
          ; the OpenAPI 3.1 document is at <code>/api/v1/openapi.json</code>.
        </p>
      </section>

      <p>
        <Link href="/catalog" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Back to the catalog
        </Link>
      </p>
    </article>
  );
}
