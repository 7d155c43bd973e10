import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { catalogText, CHANGED_REGIONS, SEED_REGIONS } from "../catalog/document.fixture";
import { seedCatalogIfEmpty } from "../db/catalog";
import { confirmCatalogImport, previewCatalogImport } from "../db/catalog-import";
import { createDb, type Db } from "../db/client";
import { createFirewall } from "../db/firewall";
import { migrateDatabase } from "../db/migrate";
import { createWebhook, listDeliveries } from "../db/notification";
import { deliverCatalogChange, emailText, catalogChangeEvent } from "./dispatch";
import { signPayload, verifySignature } from "./sign";
import { sendWebhook } from "./webhook";
import { testDatabaseUrl } from "../testing/test-db";

const FAST = { backoffMs: [50, 100], timeoutMs: 1000 };
let tmp: string;
let db: Db;
let hooks: Server;
let hookBase = "";
let smtp: SMTPServer;
let smtpPort = 0;
const received: { path: string; headers: IncomingMessage["headers"]; body: string }[] = [];
const mails: { from: string; to: string[]; data: string }[] = [];
let flaky = 0;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "x14-notify-"));
  const url = await testDatabaseUrl(tmp, "notify");
  await migrateDatabase(url);
  db = createDb(url);
  await seedCatalogIfEmpty(db);

  // The webhook receiver is on loopback, which the outbound guard refuses unless the operator permits it.
  process.env.ALLOWLIST_OUTBOUND_ALLOW = "127.0.0.1";
  hooks = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      if (req.url === "/ok") res.writeHead(204).end();
      else if (req.url === "/flaky") res.writeHead(flaky++ < 2 ? 503 : 200).end();
      else if (req.url === "/gone") res.writeHead(410).end();
      else res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString()));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

after(async () => {
  hooks.closeAllConnections();
  await new Promise((resolve) => hooks.close(resolve));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await db.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

describe("signatures", () => {
  test("HMAC-SHA256 over timestamp.body, verified with a replay window", () => {
    const sig = signPayload("s3cret", 1_800_000_000, '{"a":1}');
    assert.equal(sig, `sha256=${createHmac("sha256", "s3cret").update('1800000000.{"a":1}').digest("hex")}`);
    const now = new Date(1_800_000_100_000);
    assert.equal(verifySignature("s3cret", sig, "1800000000", '{"a":1}', now), true);
    assert.equal(verifySignature("other", sig, "1800000000", '{"a":1}', now), false);
    assert.equal(verifySignature("s3cret", sig, "1800000000", '{"a":2}', now), false);
    assert.equal(verifySignature("s3cret", sig, "1800000000", '{"a":1}', new Date(1_800_000_400_000)), false);
  });
});

describe("sendWebhook", () => {
  test("retries 503s with backoff until a 2xx; a 410 is final; a dead host fails after every attempt", async () => {
    received.length = 0;
    const ok = await sendWebhook(
      { url: `${hookBase}/flaky`, secret: "k" },
      { event: "ping", deliveryId: "d1" },
      '{"x":1}',
      FAST,
    );
    assert.deepEqual([ok.delivered, ok.attempts.map((a) => a.code), ok.lastCode], [true, [503, 503, 200], 200]);
    const last = received.at(-1);
    assert.equal(last?.headers["x-allowlist-event"], "ping");
    assert.equal(last?.headers["x-allowlist-delivery"], "d1");
    assert.equal(
      verifySignature(
        "k",
        String(last?.headers["x-allowlist-signature"]),
        String(last?.headers["x-allowlist-timestamp"]),
        '{"x":1}',
      ),
      true,
    );
    const gone = await sendWebhook(
      { url: `${hookBase}/gone`, secret: "k" },
      { event: "ping", deliveryId: "d2" },
      "{}",
      FAST,
    );
    assert.deepEqual([gone.delivered, gone.attempts.map((a) => a.code)], [false, [410]]);
    const dead = await sendWebhook(
      { url: "http://127.0.0.1:9/", secret: "k" },
      { event: "ping", deliveryId: "d3" },
      "{}",
      FAST,
    );
    assert.deepEqual(
      [
        dead.delivered,
        dead.attempts.length,
        dead.attempts.every((a) => a.code === undefined && typeof a.error === "string"),
      ],
      [false, 3, true],
    );
  });
});

describe("a new catalog version notifies", () => {
  test("webhooks that follow a changed region, and e-mail; every delivery is logged", async () => {
    const fw = await createFirewall(db, {
      name: "edge",
      description: "",
      text: `${(SEED_REGIONS.US ?? []).join("\n")}\n`,
      format: "plain",
      regions: ["US"],
      port: 443,
      note: "",
    });
    assert.ok(fw.ok);
    await createWebhook(db, { url: `${hookBase}/ok`, secret: "us-secret", regions: ["US"] });
    await createWebhook(db, { url: `${hookBase}/ok?au`, secret: "au-secret", regions: ["AU"] });
    await createWebhook(db, { url: `${hookBase}/gone`, secret: "x", regions: [] });
    const doc = { kind: "text", text: catalogText(CHANGED_REGIONS) } as const;
    const p = await previewCatalogImport(db, doc);
    assert.ok(p.ok);
    const done = await confirmCatalogImport(db, doc, { baseVersion: 1, checksum: p.preview.checksum });
    assert.ok(done.ok && done.created);

    received.length = 0;
    await deliverCatalogChange(
      db,
      { from: 1, to: 2 },
      {
        retry: FAST,
        env: {
          ALLOWLIST_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
          ALLOWLIST_MAIL_FROM: "allowlist@example.test",
          ALLOWLIST_MAIL_TO: "netops@example.test, sec@example.test",
        },
      },
    );

    // The AU webhook follows nothing that changed: not called.
    assert.deepEqual(received.map((r) => r.path).sort(), ["/gone", "/ok"]);
    const us = received.find((r) => r.path === "/ok");
    assert.ok(us);
    assert.equal(
      verifySignature(
        "us-secret",
        String(us.headers["x-allowlist-signature"]),
        String(us.headers["x-allowlist-timestamp"]),
        us.body,
      ),
      true,
    );
    const payload = JSON.parse(us.body) as {
      event: string;
      from: number;
      to: number;
      changes: { regions: { region: string; added: string[]; removed: string[] }[] };
      firewalls: unknown[];
    };
    assert.deepEqual(
      [payload.event, payload.from, payload.to, payload.changes.regions, payload.firewalls],
      [
        "catalog.version",
        1,
        2,
        [{ region: "US", added: ["52.1.37.97/32"], removed: ["52.1.37.96/32"], unchanged: 13, before: 14, after: 14 }],
        [
          {
            id: fw.value.id,
            name: "edge",
            regions: ["US"],
            before: "Up to date",
            after: "Needs 1 addition, has 1 entry the vendor no longer publishes",
          },
        ],
      ],
    );

    assert.equal(mails.length, 1);
    assert.deepEqual(
      [mails[0]?.from, mails[0]?.to],
      ["allowlist@example.test", ["netops@example.test", "sec@example.test"]],
    );
    assert.match(mails[0]?.data ?? "", /Subject: Freshworks catalog version 2: 2 added, 1 removed/);
    const event = await catalogChangeEvent(db, { from: 1, to: 2 });
    assert.ok(event);
    assert.equal(
      emailText(event),
      [
        "Freshworks published a new list: catalog version 2 replaces version 1.",
        "",
        "2 added, 1 removed, 42 unchanged.",
        "  US: +1 −1 (14 → 14)",
        "    + 52.1.37.97/32",
        "    - 52.1.37.96/32",
        "  EU: +1 −0 (10 → 11)",
        "    + 2a05:d014::/64",
        "",
        "Saved firewalls whose status changed:",
        "  edge: Needs 1 addition, has 1 entry the vendor no longer publishes (was: Up to date)",
        "",
      ].join("\n"),
    );

    const log = await listDeliveries(db);
    assert.deepEqual(log.map((d) => [d.channel, d.target, d.status, d.attempts, d.responseCode]).sort(), [
      ["email", "netops@example.test, sec@example.test", "delivered", 1, 250],
      ["webhook", `${hookBase}/gone`, "failed", 1, 410],
      ["webhook", `${hookBase}/ok`, "delivered", 1, 204],
    ]);
    assert.deepEqual(
      (await listDeliveries(db, { status: "failed" })).map((d) => d.target),
      [`${hookBase}/gone`],
    );
  });

  test("an SMTP server that cannot be reached is a failed delivery, not an exception", async () => {
    await db.webhook.deleteMany();
    await deliverCatalogChange(
      db,
      { from: 1, to: 2 },
      { retry: FAST, env: { ALLOWLIST_SMTP_URL: "smtp://127.0.0.1:9", ALLOWLIST_MAIL_TO: "a@example.test" } },
    );
    const [last] = await listDeliveries(db, { limit: 1 });
    assert.deepEqual([last?.channel, last?.status, typeof last?.log[0]?.error], ["email", "failed", "string"]);
  });
});
