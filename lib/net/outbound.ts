/**
 * Requests the server makes on a user's behalf (catalog import from a URL, webhooks) go only to public addresses.
 *
 * An editor types the URL, so without this check the server would fetch whatever it can reach: its own admin ports
 * on 127.0.0.1, the cloud metadata service at 169.254.169.254, other hosts on the private network (server-side
 * request forgery). Every address the host name resolves to is checked when the connection is made, inside the
 * socket's own DNS lookup, so a name that resolves to a public address for the check and to 127.0.0.1 a moment
 * later (DNS rebinding) is refused too. Addresses in `ALLOWLIST_OUTBOUND_ALLOW` (comma-separated CIDRs, e.g.
 * `10.20.0.0/16` for an internal webhook receiver) are permitted on purpose.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { z } from "zod";
import { parseAddress, parsePrefix, prefixRange, rangeContains, type Range } from "../ip";
import { specialRangeOf } from "../catalog/special-ranges";

export class OutboundConfigError extends Error {}

const allowSchema = z.string().transform((text, ctx) => {
  const ranges: Range[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const parsed = parsePrefix(entry.includes("/") ? entry : `${entry}/${entry.includes(":") ? 128 : 32}`);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `ALLOWLIST_OUTBOUND_ALLOW: "${entry}" is not an address or CIDR.` });
      return z.NEVER;
    }
    ranges.push(prefixRange(parsed.value));
  }
  return ranges;
});

let cached: { readonly text: string; readonly ranges: readonly Range[] } | undefined;

/** The permitted internal ranges from the environment; throws OutboundConfigError naming a malformed entry. */
export function outboundAllowed(env: Readonly<Record<string, string | undefined>> = process.env): readonly Range[] {
  const text = env.ALLOWLIST_OUTBOUND_ALLOW ?? "";
  if (cached?.text === text) return cached.ranges;
  const parsed = allowSchema.safeParse(text);
  if (!parsed.success)
    throw new OutboundConfigError(parsed.error.issues[0]?.message ?? "ALLOWLIST_OUTBOUND_ALLOW is malformed.");
  cached = { text, ranges: parsed.data };
  return parsed.data;
}

/** Why the server must not connect to `address`, or undefined when it may. */
export function refusalFor(address: string, allowed: readonly Range[] = outboundAllowed()): string | undefined {
  const parsed = parseAddress(address);
  if (!parsed.ok) return `${address} is not an IP address`;
  if (allowed.some((r) => rangeContains(r, parsed.value))) return undefined;
  const special = specialRangeOf(`${address}/${parsed.value.family === 4 ? 32 : 128}`);
  if (special === undefined) return undefined;
  return `${address} is a ${special.name} address (${special.cidr}); the server sends requests only to public addresses (ALLOWLIST_OUTBOUND_ALLOW permits internal ones)`;
}

export class OutboundRefused extends Error {
  readonly code = "OUTBOUND_REFUSED";
}

/** A DNS lookup for sockets that fails when any resolved address is refused. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 4);
    const list = addresses.length === 0 ? [] : addresses;
    for (const a of list) {
      const why = refusalFor(a.address);
      if (why !== undefined) return callback(new OutboundRefused(`${hostname} resolves to ${why}`), "", 4);
    }
    if (list.length === 0)
      return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0]!;
    callback(null, first.address, first.family);
  });
};

export interface OutboundInit {
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/**
 * A fetch() for URLs users give: http and https only, no redirects followed (the caller checks each hop with this
 * same function), and a connection only to permitted addresses. Rejects with OutboundRefused (its message says
 * which address and why) or the usual network errors.
 */
export function outboundFetch(url: URL, init: OutboundInit = {}): Promise<Response> {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(new OutboundRefused(`only http and https, not ${url.protocol}`));
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host) !== 0) {
    const why = refusalFor(host);
    if (why !== undefined) return Promise.reject(new OutboundRefused(why));
  }
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? "GET",
        headers: {
          ...init.headers,
          ...(init.body !== undefined ? { "Content-Length": String(Buffer.byteLength(init.body)) } : {}),
        },
        ...(isIP(host) === 0 ? { lookup: guardedLookup } : {}),
        // A fresh connection every time: a pooled socket would skip the lookup, and with it the check.
        agent: false,
        signal: init.signal,
      },
      (res: IncomingMessage) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
        }
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 304;
        if (empty) res.resume();
        const body = empty ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
        resolve(
          new Response(body, {
            status: status < 200 || status > 599 ? 502 : status,
            statusText: res.statusMessage ?? "",
            headers,
          }),
        );
      },
    );
    req.on("error", (error) => {
      // A refusal from the lookup arrives wrapped by the socket; keep its own type and message.
      reject(error instanceof OutboundRefused ? error : Object.assign(new Error(error.message), { cause: error }));
    });
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
