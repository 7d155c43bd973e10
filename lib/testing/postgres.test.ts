import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { createPgDatabase, dropPgDatabase, postgresBin, startPgCluster, stopPgCluster } from "./postgres";

// Fails under CI=true when the server binaries are missing (.ci/run installs postgresql); skipped elsewhere.
const missing = postgresBin() === null;

test(
  "a throwaway cluster: starts on 127.0.0.1, makes databases, stops and leaves nothing behind",
  { skip: missing && !process.env.CI && "no PostgreSQL server binaries" },
  async () => {
    const port = Number(process.env.TEST_POSTGRES_PORT ?? 55432) + 1;
    const cluster = startPgCluster(port);
    try {
      assert.equal(cluster.url, `postgresql://postgres@127.0.0.1:${port}/postgres`);
      const url = await createPgDatabase(cluster.url, "cluster_check");
      assert.equal(url, `postgresql://postgres@127.0.0.1:${port}/cluster_check`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(
        "SELECT current_database() AS db, current_setting('listen_addresses') AS listen, current_setting('server_encoding') AS enc",
      );
      await client.end();
      assert.deepEqual(rows, [{ db: "cluster_check", listen: "127.0.0.1", enc: "UTF8" }]);
      await dropPgDatabase(cluster.url, "cluster_check");
      await assert.rejects(createPgDatabase(cluster.url, "Bad-Name"), {
        message: 'database name "Bad-Name" must be [a-z0-9_], at most 63 characters',
      });
    } finally {
      stopPgCluster(cluster.dataDir);
    }
    assert.equal(existsSync(join(cluster.dataDir, "..")), false);
  },
);
