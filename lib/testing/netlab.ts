// Test-only (node:*; never imported by app code): a real-packet lab of two throwaway network namespaces.
//
//   server namespace: TCP listeners on the given ports (IPv4 and IPv6), where the firewall under test is loaded
//   client namespace: every source address as a /32 (/128), connecting with a bound source
//   a veth pair between them and NOTHING else: no link, route or address towards the host's network, so the
//   published (real, public) addresses used as sources never leave the two namespaces.
//
// Needs root, `ip` (iproute2) and node. Names start with NETLAB_TAG (default "nl") so parallel users never collide.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SERVER_V4 = "198.51.100.1";
export const SERVER_V6 = "2001:db8:ffff::1";
/** Connect timeout: 1 s gives false "blocked" on a busy 2-core machine. */
export const CONNECT_TIMEOUT_MS = 3000;

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command (argv, no shell) and resolves with its status and output; never rejects. */
export function run(
  argv: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) {
      resolve({ status: 127, stdout: "", stderr: "empty command" });
      return;
    }
    const child = execFile(
      cmd,
      args,
      {
        encoding: "utf8",
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        env: options.env ?? process.env,
      },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ status, stdout, stderr: error !== null && status === null ? `${stderr}${String(error)}` : stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

async function must(argv: readonly string[]): Promise<string> {
  const r = await run(argv);
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

let counter = 0;

export interface Lab {
  readonly server: string;
  readonly client: string;
  /** A private directory for this lab's files (configuration copies, scripts), removed by close(). */
  readonly dir: string;
  /** Runs a shell script inside the server namespace (where the firewall is loaded). */
  sh(script: string, options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** Tries every (source, port) pair at once; resolves with the pairs that connected, as "source port". */
  probe(sources: readonly string[], ports: readonly number[]): Promise<Set<string>>;
  close(): Promise<void>;
}

/** "52.1.37.96 443": the key of one connection attempt. */
export function pairKey(source: string, port: number): string {
  return `${source} ${port}`;
}

const LISTENER = `
const net = require("node:net");
const ports = JSON.parse(process.argv[1]);
let up = 0;
for (const port of ports) {
  const server = net.createServer((s) => { s.on("error", () => {}); s.end(); });
  server.listen({ port, host: "::", ipv6Only: false }, () => { if (++up === ports.length) console.log("ready"); });
}
`;

const PROBE = `
const net = require("node:net");
const [pairs, v4, v6, timeout] = JSON.parse(process.argv[1]);
const ok = [];
Promise.all(pairs.map(([src, port]) => new Promise((done) => {
  const s = net.connect({ host: src.includes(":") ? v6 : v4, port, localAddress: src, timeout });
  const end = (connected) => { if (connected) ok.push(src + " " + port); s.destroy(); done(); };
  s.once("connect", () => end(true));
  s.once("timeout", () => end(false));
  s.once("error", () => end(false));
}))).then(() => { console.log(JSON.stringify(ok)); });
`;

/**
 * Builds the two namespaces, the veth pair, the addresses and the listeners. Always `close()` it in a finally.
 */
export async function openLab(sources: readonly string[], ports: readonly number[]): Promise<Lab> {
  const tag = process.env.NETLAB_TAG ?? "nl";
  const id = `${(process.pid % 1296).toString(36)}${(counter++).toString(36)}`;
  const server = `${tag}-${id}-s`;
  const client = `${tag}-${id}-c`;
  // Interface names are at most 15 characters.
  const vs = `${tag}${id}s`.slice(-15);
  const vc = `${tag}${id}c`.slice(-15);
  const dir = mkdtempSync(join(tmpdir(), `${tag}-lab-`));
  let listener: ChildProcess | undefined;

  const close = async () => {
    if (listener !== undefined && listener.exitCode === null) {
      listener.kill("SIGKILL");
      await new Promise((r) => listener?.once("exit", r));
    }
    // Daemons a test started inside the namespaces (firewalld, its D-Bus) are ours by construction: end them.
    for (const ns of [server, client]) {
      const pids = (await run(["ip", "netns", "pids", ns])).stdout.split("\n").filter((p) => /^\d+$/.test(p));
      if (pids.length === 0) continue;
      await run(["kill", "-TERM", ...pids]);
      for (let i = 0; i < 20 && (await run(["ip", "netns", "pids", ns])).stdout.trim() !== ""; i++)
        await new Promise((r) => setTimeout(r, 100));
      const left = (await run(["ip", "netns", "pids", ns])).stdout.split("\n").filter((p) => /^\d+$/.test(p));
      if (left.length > 0) await run(["kill", "-KILL", ...left]);
    }
    await run(["ip", "netns", "del", server]);
    await run(["ip", "netns", "del", client]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await must(["ip", "netns", "add", server]);
    await must(["ip", "netns", "add", client]);
    await must(["ip", "link", "add", vs, "netns", server, "type", "veth", "peer", "name", vc, "netns", client]);
    const batch = (ns: string, lines: readonly string[]) =>
      run(["ip", "-n", ns, "-batch", "-"], { input: `${lines.join("\n")}\n` });
    const srv = await batch(server, [
      "link set lo up",
      `link set ${vs} up`,
      `addr add ${SERVER_V4}/32 dev ${vs}`,
      `addr add ${SERVER_V6}/128 dev ${vs} nodad`,
      `route add default dev ${vs}`,
      `route add ::/0 dev ${vs}`,
    ]);
    if (srv.status !== 0) throw new Error(`server namespace setup failed: ${srv.stderr}`);
    const cli = await batch(client, [
      "link set lo up",
      `link set ${vc} up`,
      ...sources.map((s) => (s.includes(":") ? `addr add ${s}/128 dev ${vc} nodad` : `addr add ${s}/32 dev ${vc}`)),
      `route add ${SERVER_V4}/32 dev ${vc}`,
      `route add ${SERVER_V6}/128 dev ${vc}`,
    ]);
    if (cli.status !== 0) throw new Error(`client namespace setup failed: ${cli.stderr}`);

    listener = spawn("ip", ["netns", "exec", server, process.execPath, "-e", LISTENER, JSON.stringify(ports)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      listener?.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      });
      listener?.once("exit", (code) => reject(new Error(`listener exited (${code})`)));
    });
  } catch (error) {
    await close();
    throw error;
  }

  return {
    server,
    client,
    dir,
    sh: (script, options = {}) => run(["ip", "netns", "exec", server, "sh", "-c", script], options),
    async probe(srcs, prts) {
      const pairs = srcs.flatMap((s) => prts.map((p) => [s, p]));
      const r = await run([
        "ip",
        "netns",
        "exec",
        client,
        process.execPath,
        "-e",
        PROBE,
        JSON.stringify([pairs, SERVER_V4, SERVER_V6, CONNECT_TIMEOUT_MS]),
      ]);
      if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
      return new Set(JSON.parse(r.stdout) as string[]);
    },
    close,
  };
}

/** Commands the lab needs; a test fails under CI when one is missing and skips elsewhere. */
export async function missingCommands(names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    const r = await run(["sh", "-c", `command -v ${name}`]);
    if (r.status !== 0) missing.push(name);
  }
  return missing;
}
