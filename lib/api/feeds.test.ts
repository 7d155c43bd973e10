import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogText, CHANGED_REGIONS, SEED_REGIONS } from "../catalog/document.fixture";
import { testDatabaseUrl } from "../testing/test-db";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";

let fixture: AuthFixture;

const dir = mkdtempSync(join(tmpdir(), "x14-api-feeds-"));
process.env.DATABASE_URL = await testDatabaseUrl(dir, "api");
delete process.env.ALLOWLIST_PUBLIC_URL;

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { ensureAppDatabase } = await import("../db/ready");
const { createFirewall } = await import("../db/firewall");
const { previewCatalogImport, confirmCatalogImport } = await import("../db/catalog-import");
const { feedPollState } = await import("../db/feed");
const api = await import("./feeds");
const { serveFeed } = await import("./feed-serve");

const HOST = "http://allowlist.test";
const basic = (token: string) => `Basic ${Buffer.from(`panos:${token}`).toString("base64")}`;
const poll = (key: string | number, headers: Record<string, string> = {}, method = "GET") =>
  serveFeed(authedRequest(`${HOST}/feeds/${key}`, { method, headers }), {
    params: Promise.resolve({ key: String(key) }),
  });
const idCtx = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const create = (body: unknown) =>
  api.createFeedRoute(
    authedRequest(`${HOST}/api/v1/feeds`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  );

type FeedJson = {
  id: number;
  token: string;
  urls: { basicUrl: string; tokenUrl: string };
  pollState: string;
  lastPoll: { at: string; userAgent: string; address: string } | null;
  pollCount: number;
  revoked: boolean;
};

before(async () => {
  await migrateDatabase(process.env.DATABASE_URL);
  fixture = await createAuthFixture(getDb());
  useBearerByDefault(fixture.tokens.admin);
  await ensureAppDatabase();
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("feeds", () => {
  let us: FeedJson;

  test("create: 201 with the token once, its URLs; bad input is 400", async () => {
    const res = await create({ name: "US EDL", regions: "us", aggregate: false });
    assert.equal(res.status, 201);
    us = (await res.json()) as FeedJson;
    assert.match(us.token, /^fd_/);
    assert.deepEqual(us.urls, { basicUrl: `${HOST}/feeds/${us.id}`, tokenUrl: `${HOST}/feeds/${us.token}` });
    assert.equal(us.pollState, "waiting");
    const stored = await getDb().feed.findUniqueOrThrow({ where: { id: us.id } });
    assert.notEqual(stored.tokenHash, us.token);
    const listed = (await (await api.listFeedsRoute(authedRequest(`${HOST}/api/v1/feeds`))).json()) as {
      feeds: Record<string, unknown>[];
    };
    assert.equal("token" in (listed.feeds[0] ?? {}), false);
    const bad = await create({ name: "", regions: "mars", format: "xml" });
    const body = (await bad.json()) as { error: { issues: { path: string }[] } };
    assert.deepEqual([bad.status, body.error.issues.map((i) => i.path)], [400, ["name", "regions", "format"]]);
  });

  test("poll by token in the path and by Basic auth: the list, ETag → 304, Last-Modified, HEAD, headers; each poll recorded", async () => {
    const r = await poll(us.token, { "user-agent": "PAN-OS 11.1", "x-forwarded-for": "192.0.2.10, 10.0.0.1" });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.equal(text, `${(SEED_REGIONS.US ?? []).join("\n")}\n`);
    const first = (await (
      await api.getFeedRoute(authedRequest(`${HOST}/api/v1/feeds/${us.id}`), idCtx(us.id))
    ).json()) as FeedJson;
    assert.deepEqual(
      [first.pollCount, first.lastPoll?.userAgent, first.lastPoll?.address],
      [1, "PAN-OS 11.1", "192.0.2.10"],
    );
    const etag = r.headers.get("etag") ?? "";
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.deepEqual(
      ["content-type", "cache-control", "x-catalog-version", "x-feed-entries"].map((h) => r.headers.get(h)),
      ["text/plain; charset=utf-8", "private, no-cache", "1", "14"],
    );
    const lastModified = r.headers.get("last-modified") ?? "";
    assert.match(lastModified, /GMT$/);

    const same = await poll(us.id, { authorization: basic(us.token), "if-none-match": etag });
    assert.deepEqual([same.status, await same.text(), same.headers.get("etag")], [304, "", etag]);
    const since = await poll(us.id, { authorization: basic(us.token), "if-modified-since": lastModified });
    assert.equal(since.status, 304);
    const head = await poll(us.token, {}, "HEAD");
    assert.deepEqual(
      [head.status, await head.text(), head.headers.get("content-length"), head.headers.get("etag")],
      [200, "", String(Buffer.byteLength(text)), etag],
    );

    const view = (await (
      await api.getFeedRoute(authedRequest(`${HOST}/api/v1/feeds/${us.id}`), idCtx(us.id))
    ).json()) as FeedJson;
    assert.equal(view.pollCount, 4);
    assert.equal(view.pollState, "ok");
    assert.deepEqual([view.lastPoll?.userAgent, view.lastPoll?.address], [null, null]);
  });

  test("a new catalog version changes the body and the ETag", async () => {
    const before = await poll(us.token);
    const etag = before.headers.get("etag") ?? "";
    const db = getDb();
    const doc = { kind: "text", text: catalogText(CHANGED_REGIONS) } as const;
    const p = await previewCatalogImport(db, doc);
    assert.ok(p.ok);
    assert.ok((await confirmCatalogImport(db, doc, { baseVersion: 1, checksum: p.preview.checksum })).ok);
    const after = await poll(us.token, { "if-none-match": etag });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.get("etag"), etag);
    assert.equal(after.headers.get("x-catalog-version"), "2");
    assert.equal((await after.text()).split("\n").includes("52.1.37.97/32"), true);
  });

  test("401: no credentials, a wrong token, a revoked token at once; rotate gives a new token and stops the old", async () => {
    const none = await poll(us.id);
    assert.deepEqual(
      [none.status, none.headers.get("www-authenticate")],
      [401, 'Basic realm="allowlist feed", charset="UTF-8"'],
    );
    assert.equal((await poll(us.id, { authorization: basic("fd_wrongwrongwrongwrongwrong") })).status, 401);
    assert.equal((await poll("fd_wrongwrongwrongwrongwrong")).status, 401);
    assert.equal((await poll("not-a-token")).status, 401);

    const revoked = await api.revokeFeedRoute(
      authedRequest(`${HOST}/api/v1/feeds/${us.id}/revoke`, { method: "POST" }),
      idCtx(us.id),
    );
    assert.equal(((await revoked.json()) as FeedJson).revoked, true);
    const denied = await poll(us.token);
    assert.deepEqual([denied.status, await denied.text()], [401, "This feed token was revoked.\n"]);
    assert.equal((await poll(us.id, { authorization: basic(us.token) })).status, 401);

    const rotated = (await (
      await api.rotateFeedRoute(authedRequest(`${HOST}/api/v1/feeds/${us.id}/rotate`, { method: "POST" }), idCtx(us.id))
    ).json()) as FeedJson;
    assert.notEqual(rotated.token, us.token);
    assert.equal(rotated.revoked, false);
    assert.equal((await poll(us.token)).status, 401);
    assert.equal((await poll(rotated.token)).status, 200);
  });

  test("a firewall feed serves its firewall's regions in Check Point format; deleting the firewall deletes the feed", async () => {
    const fw = await createFirewall(getDb(), {
      name: "eu-gw",
      description: "",
      text: "3.74.148.8\n",
      format: "plain",
      regions: ["EU"],
      port: 443,
      note: "",
    });
    assert.ok(fw.ok);
    const res = await create({
      name: "EU gw",
      kind: "firewall",
      firewallId: fw.value.id,
      format: "checkpoint",
      aggregate: false,
    });
    const feed = (await res.json()) as FeedJson;
    const body = JSON.parse(await (await poll(feed.token)).text()) as { objects: { name: string; ranges: string[] }[] };
    assert.deepEqual(
      body.objects.map((o) => [o.name, o.ranges.length, o.ranges.at(-1)]),
      [["Freshworks EU", 11, "2a05:d014::/64"]],
    );
    const missing = await create({ name: "x", kind: "firewall", firewallId: 999 });
    assert.equal(missing.status, 400);
    await getDb().firewall.delete({ where: { id: fw.value.id } });
    assert.equal(await getDb().feed.count({ where: { id: feed.id } }), 0);
  });

  test("poll state: stopped after three intervals without a poll, never when never polled", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const base = { revokedAt: null, createdAt: new Date("2026-11-30T00:00:00Z"), pollMinutes: 60 };
    assert.equal(feedPollState({ ...base, lastPolledAt: new Date("2026-11-30T09:01:00Z") }, now), "ok");
    assert.equal(feedPollState({ ...base, lastPolledAt: new Date("2026-11-30T08:59:00Z") }, now), "stopped");
    assert.equal(feedPollState({ ...base, lastPolledAt: null }, now), "never");
    assert.equal(
      feedPollState({ ...base, lastPolledAt: null, createdAt: new Date("2026-11-30T11:00:00Z") }, now),
      "waiting",
    );
    assert.equal(feedPollState({ ...base, lastPolledAt: null, revokedAt: now }, now), "revoked");
  });
});
