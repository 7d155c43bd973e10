/**
 * The kernel differential test at a larger scale: `sudo npx tsx lib/bench/kernel-diff.ts [cases] [seed]` generates
 * that many iptables and nftables rulesets each, loads them into throwaway network namespaces and compares our
 * verdicts with the kernel's (see lib/parse/vendors/kernel.test.ts). Prints the counts, the rate and every failure.
 */
import { SEED_CATALOG } from "../diff/seed.fixture";
import { Lab, labMissing } from "../testing/netns";
import { type Format, SOURCES6, runCase } from "../testing/kernel";
import { withNeighbours } from "../testing/rulegen";

async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? Date.now() % 1_000_000_000);
  const missing = labMissing();
  if (missing.length > 0) throw new Error(`needs ${missing.join(", ")}`);
  const sources = withNeighbours(SEED_CATALOG.map((p) => p.cidr.split("/")[0]!));
  let failures = 0;
  for (const format of ["iptables", "nftables"] as const satisfies readonly Format[]) {
    const lab = new Lab(format === "iptables" ? "x11b" : "x11m", [...sources, ...SOURCES6]);
    // Interrupted: the namespaces and listeners go too.
    const stop = (): void => {
      lab.close();
      process.exit(130);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      lab.firstSource = sources[0];
      await lab.ready();
      const start = performance.now();
      let mixed = 0;
      let forward = 0;
      let failed = 0;
      for (let i = 0; i < cases; i++) {
        const r = await runCase(lab, format, seed + i, sources, SOURCES6);
        if (r.failure !== undefined) {
          failed++;
          console.log(`\n${r.failure}`);
        }
        if (r.open > 0 && r.open < r.total) mixed++;
        if (r.forward) forward++;
      }
      const s = (performance.now() - start) / 1000;
      console.log(
        `${format}: ${cases} rulesets from seed ${seed} (${forward} forward path, ${mixed} with mixed verdicts), ${sources.length} IPv4 and ${SOURCES6.length} IPv6 sources each: ${failed} disagree with the kernel; ${s.toFixed(1)} s, ${(cases / s).toFixed(1)} rulesets/s`,
      );
      failures += failed;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      lab.close();
    }
  }
  process.exitCode = failures > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
});
