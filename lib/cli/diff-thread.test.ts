import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { diffColumns } from "../diff/engines/columnar";
import type { Overlaps, SweepThread } from "../diff/kernel/overlaps";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { scanPlainColumns } from "../parse/columnar";
import { plainLine } from "../parse/plain.testkit";
import { DiffThread } from "./diff-thread";

/**
 * lib/cli/diff-thread.ts: the IPv6 sweep on a real second thread (the worker runs lib/cli/sweep-thread.ts from source
 * here, through the test runner's tsx), against the one-thread diff of the same columns.
 */
const script = fileURLToPath(new URL("./sweep-thread.ts", import.meta.url));

/** A thread's joins, as the diff saw them. */
class Watched implements SweepThread {
  readonly joins: boolean[] = [];
  constructor(private readonly thread: SweepThread) {}
  get allocate() {
    return this.thread.allocate;
  }
  sweepIPv6(indices: Uint32Array, first: Uint32Array, last: Uint32Array, out: Overlaps) {
    const join = this.thread.sweepIPv6(indices, first, last, out);
    return join === undefined
      ? undefined
      : () => {
          const finished = join();
          this.joins.push(finished);
          return finished;
        };
  }
}

/** IPv6 lines from a small space, so that lists hold duplicates and prefixes inside others, written several ways. */
const ipv6Line = fc.oneof(
  fc.integer({ min: 0, max: 15 }).map((h) => `2001:db8::${h.toString(16)}`),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 120, max: 128 })).map(([h, l]) => `2001:db8::${h}/${l}`),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => `2001:db8:${a}:${b}::/64`),
  fc.integer({ min: 0, max: 3 }).map((a) => `2001:db8:${a}::/48`),
  fc.constantFrom("::/0", "2001:db8::/32", "2001:DB8:0:0:0:0:0:1", "2001:db8::1 - 2001:db8::9"),
);
const lists = fc.sample(
  fc.array(fc.oneof({ arbitrary: ipv6Line, weight: 2 }, { arbitrary: plainLine, weight: 1 }), {
    minLength: 100,
    maxLength: 400,
  }),
  { seed: 29, numRuns: 40 },
);

const oneCpu = availableParallelism() < 2 ? "one CPU: DiffThread.start gives no thread" : false;

describe("the IPv6 sweep on a second thread", { skip: oneCpu }, () => {
  let thread: DiffThread;
  before(async () => {
    thread = DiffThread.start(script)!;
    assert.ok(thread, "two CPUs or more, and ALLOWLIST_CLI_THREADS unset");
    // The thread takes work once it has loaded its script.
    const started = Date.now();
    while (!thread.isReady) {
      assert.ok(Date.now() - started < 20_000, "the thread did not load");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  after(() => thread.close());

  test("gives the one-thread diff exactly, on random lists", () => {
    let marked = 0;
    for (const lines of lists) {
      const text = `${lines.join("\n")}\n`;
      const watched = new Watched(thread);
      const threaded = diffColumns(SEED_CATALOG, scanPlainColumns(text, thread.allocate), {}, watched);
      const alone = diffColumns(SEED_CATALOG, scanPlainColumns(text));
      assert.deepEqual(threaded.toDiffResult(), alone.toDiffResult());
      assert.equal(threaded.attentionCount, alone.attentionCount);
      const columns = scanPlainColumns(text);
      if (columns.v6Index.length > 0) assert.deepEqual(watched.joins, [true]);
      else assert.deepEqual(watched.joins, []);
      for (const e of alone.toDiffResult().entries)
        if (e.text.includes(":") && (e.flags.includes("duplicate") || e.flags.includes("redundant"))) marked++;
    }
    // The lists exercise what the thread computes: IPv6 duplicates and redundant IPv6 entries.
    assert.ok(marked > 3000, `only ${marked} IPv6 entries marked`);
  });

  test("columns outside shared memory are swept on the caller's thread", () => {
    const text = "2001:db8::1\n2001:db8::1\n2001:db8::/32\n";
    const watched = new Watched(thread);
    const r = diffColumns(SEED_CATALOG, scanPlainColumns(text), {}, watched);
    assert.deepEqual(watched.joins, []);
    assert.deepEqual(
      r.toDiffResult().entries.map((e) => [e.line, e.flags]),
      [
        [1, ["redundant"]],
        [2, ["duplicate", "redundant"]],
        [3, []],
      ],
    );
  });
});

test(
  "a thread whose script cannot load takes no work, and the command does not fail with it",
  { skip: oneCpu },
  async () => {
    const broken = DiffThread.start(fileURLToPath(new URL("./no-such-thread.cjs", import.meta.url)))!;
    // Long enough for the worker to fail to load (its error is heard, not thrown).
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(broken.isReady, false);
    const text = "2001:db8::1\n2001:db8::1\n";
    const r = diffColumns(SEED_CATALOG, scanPlainColumns(text, broken.allocate), {}, broken);
    assert.deepEqual(r.toDiffResult(), diffColumns(SEED_CATALOG, scanPlainColumns(text)).toDiffResult());
    broken.close();
  },
);

test(
  "a thread that takes the sweep and never finishes it: the main thread sweeps after its wait",
  { skip: oneCpu },
  async () => {
    // A thread that says it is ready and then ignores its work (as one that died mid-sweep would look).
    const dir = mkdtempSync(join(tmpdir(), "allowlist-thread-"));
    const script = join(dir, "silent.cjs");
    writeFileSync(
      script,
      'const { workerData } = require("node:worker_threads"); Atomics.store(workerData.ready, 0, 1);',
    );
    const silent = DiffThread.start(script)!;
    try {
      while (!silent.isReady) await new Promise((resolve) => setTimeout(resolve, 10));
      const text = "2001:db8::1\n2001:db8::1\n2001:db8::/64\n";
      const watched = new Watched(silent);
      const r = diffColumns(SEED_CATALOG, scanPlainColumns(text, silent.allocate), {}, watched);
      assert.deepEqual(watched.joins, [false]);
      assert.deepEqual(r.toDiffResult(), diffColumns(SEED_CATALOG, scanPlainColumns(text)).toDiffResult());
    } finally {
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("a thread that fails its sweep: the caller sweeps the IPv6 entries itself, with the same result", () => {
  const failing: SweepThread = {
    allocate: (bytes) => new SharedArrayBuffer(bytes),
    // Started, then not finished: the join says so.
    sweepIPv6: () => () => false,
  };
  const text = "2001:db8::1\n2001:db8::1\n2001:db8::/32\n10.0.0.1\n10.0.0.1\n";
  const threaded = diffColumns(SEED_CATALOG, scanPlainColumns(text, failing.allocate), {}, failing);
  assert.deepEqual(threaded.toDiffResult(), diffColumns(SEED_CATALOG, scanPlainColumns(text)).toDiffResult());
  assert.deepEqual(
    threaded.toDiffResult().entries.map((e) => e.flags),
    [["redundant"], ["duplicate", "redundant"], [], [], ["duplicate"]],
  );
});
