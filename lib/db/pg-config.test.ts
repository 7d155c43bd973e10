import { test } from "node:test";
import assert from "node:assert/strict";
import { pgConfig } from "./client";

test("a PostgreSQL URL becomes separate connection fields (so the shadow database is never the main one)", () => {
  assert.deepEqual(
    pgConfig("postgresql://app:p%40ss@db.example:6543/allow_list?connection_limit=4&sslmode=verify-full"),
    {
      host: "db.example",
      port: 6543,
      user: "app",
      password: "p@ss",
      database: "allow_list",
      max: 4,
      ssl: { rejectUnauthorized: true },
    },
  );
  assert.deepEqual(pgConfig("postgres:///allowlist?host=/var/run/postgresql"), {
    host: "/var/run/postgresql",
    port: 5432,
    user: undefined,
    password: undefined,
    database: "allowlist",
    max: 10,
  });
  assert.deepEqual(pgConfig("postgresql://u@127.0.0.1/d?sslmode=require").ssl, { rejectUnauthorized: false });
});
