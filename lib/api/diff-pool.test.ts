import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
// @ts-expect-error -- a plain JS module shared with the server's start script
import { buildDiffWorker } from "../server/diff-worker-bundle.mjs";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { diffReportResponse } from "./diff-pool";
import { runDiffJob, type DiffJob } from "./diff-job";

// The worker as lib/server/server.mjs bundles it, against the same job run in this thread: byte-identical reports.
const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "allowlist-diff-worker-"));

before(async () => {
  const outfile = join(dir, "diff-worker.mjs");
  await buildDiffWorker(root, outfile);
  process.env.ALLOWLIST_DIFF_WORKER = outfile;
});
after(() => {
  delete process.env.ALLOWLIST_DIFF_WORKER;
  rmSync(dir, { recursive: true, force: true });
});

async function inThread(job: DiffJob): Promise<string> {
  const chunks: string[] = [];
  await runDiffJob(job, (c) => void chunks.push(c));
  return chunks.join("");
}

describe("big diffs in a worker thread", () => {
  test("the worker's report equals the in-thread one (plain list over several chunks, and a vendor format), and the slot is freed", async () => {
    const plain = `${Array.from({ length: 60_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`).join("\n")}\n52.1.37.96\nbad\n`;
    const asa =
      "object-group network FW\n network-object host 52.1.37.96\naccess-list outside_in extended permit tcp object-group FW any eq 443\n";
    for (const [text, format] of [
      [plain, "auto"],
      [asa, "cisco-asa"],
    ] as const) {
      const job: DiffJob = { text, format, regions: ["US"], port: 443, catalog: SEED_CATALOG, catalogVersion: 1 };
      let released = 0;
      const response = await diffReportResponse(
        job,
        { headers: { "content-type": "application/json" } },
        () => released++,
      );
      const body = await response.text();
      assert.equal(body, await inThread(job));
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(released, 1);
    }
  });

  test("a job that refuses unusable text answers 422 from the worker, frees the slot, and the worker serves the next job", async () => {
    let released = 0;
    const text = `${"lorem ipsum ".repeat(50_000)}\n`;
    const refused = await diffReportResponse(
      {
        text,
        format: "auto",
        regions: ["US"],
        port: 443,
        catalog: SEED_CATALOG,
        catalogVersion: 1,
        refuseUnusable: true,
      },
      {},
      () => released++,
    );
    assert.equal(refused.status, 422);
    const error = ((await refused.json()) as { error: { code: string; message: string; issues: { line: number }[] } })
      .error;
    assert.deepEqual(
      [error.code, error.message, error.issues.map((i) => i.line)],
      [
        "unprocessable",
        "Nothing recognised — is this the right format? No address or rule was found. Read as Plain list (detected).",
        [1],
      ],
    );
    assert.equal(released, 1);
    const job: DiffJob = {
      text: "52.1.37.96\n",
      format: "auto",
      regions: ["US"],
      port: 443,
      catalog: SEED_CATALOG,
      catalogVersion: 1,
      refuseUnusable: true,
    };
    const next = await diffReportResponse(job, {}, () => released++);
    assert.equal(await next.text(), await inThread(job));
  });

  test("a client that goes away mid-report ends the job and frees the slot", async () => {
    const text = `${Array.from({ length: 200_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`).join("\n")}\n`;
    let released = 0;
    const response = await diffReportResponse(
      { text, format: "plain", regions: ["US"], port: 443, catalog: SEED_CATALOG, catalogVersion: 1 },
      {},
      () => released++,
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    for (let i = 0; i < 100 && released === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(released, 1);
  });
});
