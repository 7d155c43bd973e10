// Loaded before every unit test file (lib/testing/run-unit.mjs): property tests run from one fixed seed, so a run is
// reproducible; FC_SEED=<n> explores another. fast-check prints the seed and the shrunk path of any failure.
import fc from "fast-check";

const seed = Number(process.env.FC_SEED ?? 20261130);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got "${process.env.FC_SEED}"`);
fc.configureGlobal({ seed });
