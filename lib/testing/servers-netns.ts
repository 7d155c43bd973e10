/**
 * Real nginx, HAProxy and Apache httpd as the oracle: a throwaway server namespace joined by a veth pair to a client namespace that
 * holds every source address as a /32, with no link or route to the host's network (so the published addresses, real
 * public IPs, never leave these namespaces). The server runs a config exactly as our parser read it; the client sends
 * one HTTP request per source from that source and records what came back: a status, a closed connection, a timeout.
 * Needs root, `ip`, and the server binary; `support()` says what is missing (CI must fail on it, not skip).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type ServerKind = "nginx" | "haproxy" | "apache";

/** The binary each kind runs (Debian names Apache httpd's `apache2`). */
const BINARY: Record<ServerKind, string> = { nginx: "nginx", haproxy: "haproxy", apache: "apache2" };
/** Where Debian's apache2 package keeps the modules the Apache config loads. */
const APACHE_MODULES = "/usr/lib/apache2/modules";

/** What the client saw: an HTTP status, or the connection closed without one, or no answer in time. */
export type Outcome = { readonly status: number } | { readonly closed: true } | { readonly timeout: true };

export interface Probe {
  readonly source: string;
  readonly port: number;
  readonly path: string;
}

const SERVER_ADDRESS = "10.231.0.1";
/** 3 s: on this shared 2-core machine 1 s gives false "blocked". */
const TIMEOUT_MS = 3000;

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Undefined when the lab can run; otherwise why not (not root, no `ip`, no nginx/haproxy/apache2). */
export function missing(kinds: readonly ServerKind[]): string | undefined {
  if (process.platform !== "linux") return "not Linux";
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root";
  for (const c of ["ip", ...kinds.map((k) => BINARY[k])]) if (!has(c)) return `${c} is not installed`;
  return undefined;
}

function run(args: readonly string[], input?: string): string {
  const r = spawnSync(args[0]!, args.slice(1), { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The client: plain Node, run inside the client namespace; reads probes as JSON on stdin, writes outcomes. */
const CLIENT = `
import http from "node:http";
const probes = JSON.parse(await new Promise((ok) => { let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => ok(s)); }));
const one = (p) => new Promise((ok) => {
  let done = false;
  const finish = (v) => { if (!done) { done = true; ok(v); } };
  const req = http.request({ host: process.argv[2], port: p.port, path: p.path, localAddress: p.source, agent: false, headers: { connection: "close" } }, (res) => {
    res.resume();
    res.on("end", () => finish({ status: res.statusCode }));
    res.on("error", () => finish({ status: res.statusCode }));
  });
  req.setTimeout(${TIMEOUT_MS}, () => { finish({ timeout: true }); req.destroy(); });
  req.on("error", () => finish({ closed: true }));
  req.end();
});
const out = new Array(probes.length);
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => { while (next < probes.length) { const i = next++; out[i] = await one(probes[i]); } }));
process.stdout.write(JSON.stringify(out));
`;

let labs = 0;

export class ServerLab {
  private server: ChildProcess | undefined;
  private closed = false;

  private constructor(
    private readonly srv: string,
    private readonly cli: string,
    private readonly dir: string,
  ) {}

  readonly address = SERVER_ADDRESS;

  /** Creates the two namespaces (names prefixed with `tag`) and gives the client every source address. */
  static open(tag: string, sources: readonly string[]): ServerLab {
    const id = `${process.pid % 10000}${String.fromCharCode(97 + (labs++ % 26))}`;
    const srv = `${tag}-s${id}`;
    const cli = `${tag}-c${id}`;
    const vs = `${tag}s${id}`.slice(0, 15);
    const vc = `${tag}c${id}`.slice(0, 15);
    const dir = mkdtempSync(join(tmpdir(), `${tag}-lab-`));
    const lab = new ServerLab(srv, cli, dir);
    try {
      run(["ip", "netns", "add", srv]);
      run(["ip", "netns", "add", cli]);
      run(["ip", "link", "add", vs, "type", "veth", "peer", "name", vc]);
      run(["ip", "link", "set", vs, "netns", srv]);
      run(["ip", "link", "set", vc, "netns", cli]);
      const srvCmds = [
        `link set lo up`,
        `link set ${vs} up`,
        `addr add ${SERVER_ADDRESS}/32 dev ${vs}`,
        `route add default dev ${vs}`,
      ];
      run(["ip", "-n", srv, "-batch", "-"], srvCmds.join("\n") + "\n");
      const cliCmds = [
        `link set lo up`,
        `link set ${vc} up`,
        ...sources.map((s) => `addr add ${s}/32 dev ${vc}`),
        `route add ${SERVER_ADDRESS}/32 dev ${vc}`,
      ];
      run(["ip", "-n", cli, "-batch", "-"], cliCmds.join("\n") + "\n");
      writeFileSync(join(dir, "client.mjs"), CLIENT);
    } catch (e) {
      void lab.close();
      throw e;
    }
    return lab;
  }

  /** Starts the server on `config` and waits until it listens on every port. The previous server is stopped first. */
  async serve(kind: ServerKind, config: string, ports: readonly number[]): Promise<void> {
    await this.stop();
    const file = join(this.dir, { nginx: "site.conf", haproxy: "haproxy.cfg", apache: "site.conf" }[kind]);
    writeFileSync(file, config);
    let args: string[];
    if (kind === "apache") {
      // `config` is what goes inside the server (Listen, sections); the head loads the modules access control needs
      // and runs one process in the foreground (-X) as nobody, its files in the lab's directory.
      const main = join(this.dir, "httpd.conf");
      // The server process runs as nobody: it must get through the lab's directory to an (empty) document root, so
      // that an admitted request is a 404, not the 403 of a directory it cannot read.
      const docroot = join(this.dir, "htdocs");
      mkdirSync(docroot, { recursive: true });
      chmodSync(this.dir, 0o711);
      writeFileSync(
        main,
        [
          `ServerRoot "${this.dir}"`,
          `ServerName lab.invalid`,
          ...["mpm_event", "authz_core", "authz_host"].map(
            (m) => `LoadModule ${m}_module ${APACHE_MODULES}/mod_${m}.so`,
          ),
          `User nobody`,
          `Group nogroup`,
          `PidFile ${this.dir}/httpd.pid`,
          `ErrorLog ${this.dir}/error.log`,
          `DocumentRoot "${docroot}"`,
          `Include ${file}`,
          "",
        ].join("\n"),
      );
      args = ["apache2", "-X", "-f", main];
    } else if (kind === "nginx") {
      const main = join(this.dir, "nginx.conf");
      writeFileSync(
        main,
        `daemon off;\nmaster_process off;\npid ${this.dir}/nginx.pid;\nerror_log ${this.dir}/error.log;\nevents {}\ninclude ${file};\n`,
      );
      args = ["nginx", "-p", `${this.dir}/`, "-c", main];
    } else {
      args = ["haproxy", "-db", "-f", file];
    }
    const child = spawn("ip", ["netns", "exec", this.srv, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    this.server = child;
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 5000;
    for (;;) {
      const listening = run(["ip", "netns", "exec", this.srv, "ss", "-Hltn"]);
      if (ports.every((p) => new RegExp(`:${p}\\s`).test(listening))) return;
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop();
        throw new Error(`${kind} did not start on ${ports.join(", ")}: ${stderr}\n${config}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** One request per probe from its source address, 16 at a time. */
  probe(probes: readonly Probe[]): Outcome[] {
    const r = spawnSync(
      "ip",
      ["netns", "exec", this.cli, process.execPath, join(this.dir, "client.mjs"), SERVER_ADDRESS],
      {
        input: JSON.stringify(probes),
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    if (r.status !== 0) throw new Error(`client failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Outcome[];
  }

  /** Stops the running server (the process this lab started, by its pid) and waits for its exit. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s && s.exitCode === null && s.signalCode === null) {
      const exited = new Promise((r) => s.once("exit", r));
      s.kill("SIGKILL");
      await exited;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    // Deleting a namespace removes its end of the veth pair, and with it the other end.
    for (const ns of [this.srv, this.cli]) spawnSync("ip", ["netns", "del", ns], { stdio: "ignore" });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** "allowed" when an HTTP response other than 403 came back (a 503 means the request passed every access rule). */
export function admitted(o: Outcome): boolean {
  return "status" in o && o.status !== 403;
}
