// Two app instances on one database (the suite's own: SQLite file or PostgreSQL, whichever E2E_DATABASE_URL names):
// stale saves are refused across instances, statuses are never stale after a write on the other instance, and a
// kill -9 of an instance in the middle of writes loses no write it acknowledged. The second instance is started here,
// from the build the suite's web server made, on 127.0.0.1 only.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE } from "./accounts";

const portA = Number(process.env.E2E_PORT ?? 3107);
const portB = Number(process.env.E2E_SECOND_PORT ?? portA + 1000);
const A = `http://127.0.0.1:${portA}`;
const B = `http://127.0.0.1:${portB}`;
const databaseUrl = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";
// The admin signed in by the setup project: the session lives in the shared database, so the same cookie is good on
// both instances (cookies are per host, not per port).
// Read when the tests run (the file is written by the setup project, after this module is loaded).
const auth: Record<string, string> = {};
const json: Record<string, string> = { "content-type": "application/json" };
function signIn(): void {
  const state = JSON.parse(readFileSync(STATE.admin, "utf8")) as { cookies: { name: string; value: string }[] };
  auth.cookie = json.cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

function startInstance(): ChildProcess {
  return spawn(process.execPath, ["lib/server/server.mjs"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(portB),
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitUp(server: ChildProcess, base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error("the second instance exited");
    try {
      if ((await fetch(`${base}/api/v1/firewalls?limit=1`, { headers: auth })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the second instance did not start");
}

async function call(base: string, path: string, method = "GET", body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? auth : json,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>) };
}

test.describe.configure({ mode: "serial" });

let server: ChildProcess;

test.beforeAll(async () => {
  signIn();
  server = startInstance();
  await waitUp(server, B);
});

test.afterAll(() => {
  if (server.exitCode === null) server.kill("SIGKILL");
});

test("a stale save is refused with 409 on the other instance, and its status is the saved one at once", async () => {
  const created = await call(A, "/api/v1/firewalls", "POST", {
    name: "two-instances",
    text: "52.1.37.96\n",
    regions: "us",
  });
  expect(created.status).toBe(201);
  const id = created.body?.id as number;
  // B reads it (and caches revision 1's status).
  const seenOnB = await call(B, `/api/v1/firewalls/${id}`);
  expect([seenOnB.status, seenOnB.body?.headRevision, seenOnB.body?.status]).toEqual([200, 1, created.body?.status]);

  const onA = await call(A, `/api/v1/firewalls/${id}`, "PUT", {
    baseRevision: 1,
    text: "52.1.37.96\n52.1.32.88\n",
    regions: "us",
  });
  expect([onA.status, onA.body?.headRevision]).toEqual([200, 2]);
  const staleOnB = await call(B, `/api/v1/firewalls/${id}`, "PUT", {
    baseRevision: 1,
    text: "10.0.0.1\n",
    regions: "us",
  });
  expect(staleOnB.status).toBe(409);
  expect((staleOnB.body?.error as { message: string }).message).toBe(
    "Revision 2 is the latest, but this save was based on revision 1: fetch the firewall, review the changes, and send baseRevision 2.",
  );

  // B answers with the head A just wrote and its status, in the detail and in the list.
  const afterOnB = await call(B, `/api/v1/firewalls/${id}`);
  expect([afterOnB.body?.headRevision, afterOnB.body?.status]).toEqual([2, onA.body?.status]);
  expect(afterOnB.body?.status).not.toEqual(created.body?.status);
  const listOnB = await call(B, "/api/v1/firewalls?q=two-instances");
  const row = (listOnB.body?.firewalls as { id: number; headRevision: number; status: unknown }[]).find(
    (f) => f.id === id,
  );
  expect([row?.headRevision, row?.status]).toEqual([2, onA.body?.status]);
});

test("kill -9 of an instance during writes loses no write it acknowledged", async () => {
  const acknowledged: string[] = [];
  let attempted = 0;
  let stop = false;
  // Eight writers on B, each creating firewalls one after the other until B dies.
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const name = `kill9-${w}-${i}`;
      attempted++;
      try {
        const res = await fetch(`${B}/api/v1/firewalls`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ name, text: `52.1.37.96\n10.0.${w}.${i % 256}\n`, regions: "us" }),
        });
        if (res.status === 201) acknowledged.push(name);
        else if (res.status !== 201) throw new Error(`B answered ${res.status}: ${await res.text()}`);
      } catch (error) {
        if (!stop) throw error;
        return; // B is gone
      }
    }
  });
  // Kill B hard once it has acknowledged a good number of writes, in the middle of the stream.
  for (let i = 0; i < 600 && acknowledged.length < 40; i++) await new Promise((r) => setTimeout(r, 50));
  stop = true;
  server.kill("SIGKILL");
  await Promise.all(writers);
  expect(acknowledged.length).toBeGreaterThanOrEqual(40);
  expect(attempted).toBeGreaterThan(acknowledged.length); // some were in flight when it died

  // Every acknowledged write is there, read through the surviving instance, each with its revision.
  const names = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await call(A, `/api/v1/firewalls?q=kill9-&limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.status).toBe(200);
    for (const f of page.body?.firewalls as { name: string; headRevision: number }[]) {
      expect(f.headRevision).toBe(1);
      names.add(f.name);
    }
    cursor = page.body?.nextCursor as string | null;
  } while (cursor !== null);
  expect(acknowledged.filter((n) => !names.has(n))).toEqual([]);
  // Nothing half-written: at most the writes in flight (one per writer) landed without an answer.
  expect(names.size - acknowledged.length).toBeLessThanOrEqual(8);
});
