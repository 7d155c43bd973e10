/** The cidr-tools peer, run in its own process so it can be timed out: mergeCidr of all lines, then containsCidr per published IP. */
import { readFileSync } from "node:fs";
import { containsCidr, mergeCidr } from "cidr-tools";
import { SEED_CATALOG } from "../diff/seed.fixture";

const file = process.argv[2]!;
const start = performance.now();
const lines = readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l !== "");
const merged = mergeCidr(lines);
const covered = SEED_CATALOG.filter((p) => containsCidr(merged, p.cidr)).length;
process.stdout.write(JSON.stringify({ ms: performance.now() - start, covered }));
