import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { fetchDocument } from "../catalog/fetch-document";
import { sendWebhook } from "../notify/webhook";
import { OutboundConfigError, OutboundRefused, outboundAllowed, outboundFetch, refusalFor } from "./outbound";

// A real HTTP server on loopback: without the guard every request below would reach it (`hits` counts them).
let server: Server;
let port: number;
let hits: string[] = [];
const saved = process.env.ALLOWLIST_OUTBOUND_ALLOW;

before(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/to-other-loopback") res.writeHead(302, { Location: `http://127.0.0.2:${port}/page` }).end();
    else if (req.url === "/to-metadata")
      res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" }).end();
    else res.writeHead(200, { "Content-Type": "text/plain" }).end("Region\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  process.env.ALLOWLIST_OUTBOUND_ALLOW = saved;
  if (saved === undefined) delete process.env.ALLOWLIST_OUTBOUND_ALLOW;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("refusalFor", () => {
  it("refuses loopback, private, link-local (cloud metadata), unique-local, mapped and unspecified addresses", () => {
    const none: never[] = [];
    const cases: [string, string][] = [
      ["127.0.0.1", "127.0.0.0/8"],
      ["10.1.2.3", "10.0.0.0/8"],
      ["172.31.0.1", "172.16.0.0/12"],
      ["192.168.1.1", "192.168.0.0/16"],
      ["169.254.169.254", "169.254.0.0/16"],
      ["100.64.0.1", "100.64.0.0/10"],
      ["0.0.0.0", "0.0.0.0/8"],
      ["::1", "::/127"],
      ["::", "::/127"],
      ["::ffff:127.0.0.1", "::ffff:0:0/96"],
      ["fd00::1", "fc00::/7"],
      ["fe80::1", "fe80::/10"],
    ];
    for (const [address, block] of cases) {
      const why = refusalFor(address, none);
      assert.ok(why?.startsWith(`${address} is a `) && why.includes(`(${block})`), `${address}: ${why}`);
    }
  });

  it("permits public addresses, and internal ones the operator listed", () => {
    assert.equal(refusalFor("18.194.44.230", []), undefined);
    assert.equal(refusalFor("2a05:d014::1", []), undefined);
    const allowed = outboundAllowed({ ALLOWLIST_OUTBOUND_ALLOW: "10.20.0.0/16, 127.0.0.1" });
    assert.equal(refusalFor("10.20.3.4", allowed), undefined);
    assert.equal(refusalFor("127.0.0.1", allowed), undefined);
    assert.ok(refusalFor("127.0.0.2", allowed)?.includes("127.0.0.0/8"));
    assert.ok(refusalFor("10.21.0.1", allowed)?.includes("10.0.0.0/8"));
  });

  it("a malformed ALLOWLIST_OUTBOUND_ALLOW entry is named, not dropped", () => {
    assert.throws(
      () => outboundAllowed({ ALLOWLIST_OUTBOUND_ALLOW: "10.0.0.0/8,intranet" }),
      (e: unknown) =>
        e instanceof OutboundConfigError &&
        e.message === 'ALLOWLIST_OUTBOUND_ALLOW: "intranet" is not an address or CIDR.',
    );
  });
});

describe("outboundFetch against a real loopback server", () => {
  it("refuses a literal loopback address, a host name that resolves to loopback, and the decimal form of 127.0.0.1", async () => {
    delete process.env.ALLOWLIST_OUTBOUND_ALLOW;
    hits = [];
    for (const url of [
      `http://127.0.0.1:${port}/a`,
      `http://localhost:${port}/b`,
      `http://2130706433:${port}/c`,
      `http://[::1]:${port}/d`,
    ]) {
      await assert.rejects(
        outboundFetch(new URL(url)),
        (e: unknown) => e instanceof OutboundRefused && /loopback|unspecified/.test(e.message),
        url,
      );
    }
    assert.deepEqual(hits, [], "no request reached the server");
  });

  it("with loopback permitted, the request goes through and the body streams back", async () => {
    process.env.ALLOWLIST_OUTBOUND_ALLOW = "127.0.0.1";
    hits = [];
    const response = await outboundFetch(new URL(`http://localhost:${port}/ok`));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "Region\n");
    assert.deepEqual(hits, ["/ok"]);
  });

  it("catalog import: a redirect to another internal address is refused at the hop, with the reason", async () => {
    process.env.ALLOWLIST_OUTBOUND_ALLOW = "127.0.0.1";
    hits = [];
    const other = await fetchDocument(`http://127.0.0.1:${port}/to-other-loopback`);
    assert.deepEqual(other, {
      ok: false,
      message: `http://127.0.0.2:${port}/page was not fetched: 127.0.0.2 is a loopback (RFC 1122) address (127.0.0.0/8); the server sends requests only to public addresses (ALLOWLIST_OUTBOUND_ALLOW permits internal ones).`,
    });
    const metadata = await fetchDocument(`http://127.0.0.1:${port}/to-metadata`);
    assert.equal(metadata.ok, false);
    assert.ok(
      !metadata.ok &&
        metadata.message.startsWith(
          "http://169.254.169.254/latest/meta-data/ was not fetched: 169.254.169.254 is a link-local",
        ),
    );
    assert.deepEqual(hits, ["/to-other-loopback", "/to-metadata"], "only the permitted first hops reached a server");
  });

  it("webhooks: a refused destination is one attempt with the reason, no retries", async () => {
    delete process.env.ALLOWLIST_OUTBOUND_ALLOW;
    hits = [];
    const result = await sendWebhook(
      { url: `http://localhost:${port}/hook`, secret: "k" },
      { event: "ping", deliveryId: "1" },
      "{}",
      { backoffMs: [0, 0], timeoutMs: 2_000 },
    );
    assert.equal(result.delivered, false);
    assert.equal(result.attempts.length, 1);
    assert.match(
      result.attempts[0]!.error ?? "",
      /^refused: localhost resolves to (127\.0\.0\.1|::1) is a (loopback|unspecified or loopback)/,
    );
    assert.deepEqual(hits, []);
  });
});
