/**
 * A throwaway lab of network namespaces for real-packet tests: a client namespace holding every source address as a
 * /32, joined by a veth pair to a server namespace (the firewall under test), and behind it a third namespace for the
 * forward path. No link or route leads to the host's network, so no packet can leave the lab. Needs root, `ip`,
 * `nft`, `iptables-restore`, `ipset` and python3.
 *
 *   client (cli) ──[cliIf]──veth──[inIf]── server (srv, ip_forward=1) ──[outIf]──veth──[fwdIf]── behind (fwd)
 *
 * The server listens on the port at SERVER4 (input path); the host behind listens at BEHIND4 (forward path). A prober
 * in the client namespace opens all connections of a case at once and reports which were accepted.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SERVER4 = "198.18.0.1";
export const BEHIND4 = "198.18.1.2";
export const SERVER6 = "2001:db8:ffff::1";
export const BEHIND6 = "2001:db8:fffe::2";

/** Interface names (at most 15 characters), prefixed with the lab's tag so parallel labs never collide. */
export interface LabNames {
  readonly cli: string;
  readonly srv: string;
  readonly fwd: string;
  readonly cliIf: string;
  readonly inIf: string;
  readonly outIf: string;
  readonly fwdIf: string;
}

const PROBER = String.raw`
import asyncio, json, socket, sys, time

async def one(src, dst, port, timeout):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.bind((src, 0))
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.sock_connect(s, (dst, port)), timeout)
        return "open"
    except asyncio.TimeoutError:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except OSError as e:
        return "error:" + str(e.errno)
    finally:
        s.close()

async def case(req):
    port = req["port"]
    allowed = [asyncio.create_task(one(s, d, port, req["timeout"])) for s, d in req["expectOpen"]]
    others = [asyncio.create_task(one(s, d, port, req["timeout"])) for s, d in req["expectBlocked"]]
    done_open = await asyncio.gather(*allowed)
    # A connection the kernel lets through opens as fast as the expected ones: after those, a short grace decides.
    await asyncio.sleep(req["grace"])
    res_others = []
    for t in others:
        if t.done():
            res_others.append(t.result())
        else:
            t.cancel()
            res_others.append("timeout")
    return {"open": done_open, "blocked": res_others}

async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return
        out = await case(json.loads(line))
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()

asyncio.run(main())
`;

const LISTENER = String.raw`
import socket, sys, threading
def serve(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(4096)
    while True:
        c, _ = s.accept()
        c.close()
ts = [threading.Thread(target=serve, args=(a, int(p)), daemon=True) for a, p in (x.split(",") for x in sys.argv[1:])]
for t in ts: t.start()
print("ready", flush=True)
for t in ts: t.join()
`;

export interface ProbeResult {
  /** Sources whose connection opened. */
  readonly open: ReadonlySet<string>;
  /** How each connection ended ("open", "timeout", "refused" …), expected-open ones first. */
  readonly results: readonly string[];
}

function run(args: readonly string[], input?: string): { ok: boolean; out: string } {
  const r = spawnSync(args[0]!, args.slice(1), { input, encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

function must(args: readonly string[], input?: string): void {
  const r = run(args, input);
  if (!r.ok) throw new Error(`${args.join(" ")} failed: ${r.out}`);
}

/** What the lab needs, or the list of what is missing (not root, a tool absent). */
export function labMissing(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root");
  for (const tool of ["ip", "nft", "iptables-restore", "ip6tables-restore", "ipset", "python3"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) missing.push(tool);
  }
  return missing;
}

export class Lab {
  readonly names: LabNames;
  private readonly dir: string;
  private prober?: ChildProcessWithoutNullStreams;
  private readonly listeners: ChildProcessWithoutNullStreams[] = [];
  private pending: ((line: string) => void)[] = [];
  private buffer = "";

  /**
   * `behind`: more IPv4 addresses of the host behind (a container network's addresses, say), each listening on port
   * 443 and routed to from the server over the out link.
   */
  constructor(tag: string, sources: readonly string[], behind: readonly string[] = []) {
    const t = tag.slice(0, 6);
    this.names = {
      cli: `${t}-cli-${process.pid}`,
      srv: `${t}-srv-${process.pid}`,
      fwd: `${t}-fwd-${process.pid}`,
      cliIf: `${t}c`,
      inIf: `${t}in`,
      outIf: `${t}out`,
      fwdIf: `${t}f`,
    };
    this.dir = mkdtempSync(join(tmpdir(), `${t}-lab-`));
    try {
      this.build(sources, behind);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private build(sources: readonly string[], behind: readonly string[]): void {
    const n = this.names;
    for (const ns of [n.cli, n.srv, n.fwd]) must(["ip", "netns", "add", ns]);
    const exec = (ns: string, ...args: string[]) => must(["ip", "netns", "exec", ns, ...args]);
    // Created inside the client namespace, then one end moved: the links never exist in the host's namespace.
    must(["ip", "-n", n.cli, "link", "add", n.cliIf, "type", "veth", "peer", "name", n.inIf]);
    must(["ip", "-n", n.cli, "link", "set", n.inIf, "netns", n.srv]);
    must(["ip", "-n", n.srv, "link", "add", n.outIf, "type", "veth", "peer", "name", n.fwdIf]);
    must(["ip", "-n", n.srv, "link", "set", n.fwdIf, "netns", n.fwd]);
    for (const [ns, ifs] of [
      [n.cli, [n.cliIf, "lo"]],
      [n.srv, [n.inIf, n.outIf, "lo"]],
      [n.fwd, [n.fwdIf, "lo"]],
    ] as const) {
      for (const i of ifs) must(["ip", "-n", ns, "link", "set", i, "up"]);
    }
    for (const [ns, key] of [
      [n.srv, "net.ipv4.ip_forward=1"],
      [n.srv, "net.ipv6.conf.all.forwarding=1"],
      [n.srv, "net.ipv4.conf.all.rp_filter=0"],
      [n.srv, `net.ipv4.conf.${n.inIf}.rp_filter=0`],
      [n.cli, "net.ipv6.conf.all.accept_dad=0"],
      [n.cli, `net.ipv6.conf.${n.cliIf}.accept_dad=0`],
      [n.srv, `net.ipv6.conf.${n.inIf}.accept_dad=0`],
      [n.srv, `net.ipv6.conf.${n.outIf}.accept_dad=0`],
      [n.fwd, `net.ipv6.conf.${n.fwdIf}.accept_dad=0`],
    ] as const) {
      exec(ns, "sysctl", "-qw", key);
    }
    // The server: its own address on the client side, the host behind on the other; everything else is the client.
    must(["ip", "-n", n.srv, "addr", "add", `${SERVER4}/32`, "dev", n.inIf]);
    must(["ip", "-n", n.srv, "addr", "add", `${SERVER6}/128`, "dev", n.inIf, "nodad"]);
    must(["ip", "-n", n.srv, "addr", "add", "198.18.1.1/24", "dev", n.outIf]);
    must(["ip", "-n", n.srv, "addr", "add", "2001:db8:fffe::1/64", "dev", n.outIf, "nodad"]);
    must(["ip", "-n", n.srv, "route", "add", "default", "dev", n.inIf]);
    must(["ip", "-n", n.srv, "-6", "route", "add", "default", "dev", n.inIf]);
    must(["ip", "-n", n.fwd, "addr", "add", `${BEHIND4}/24`, "dev", n.fwdIf]);
    must(["ip", "-n", n.fwd, "addr", "add", `${BEHIND6}/64`, "dev", n.fwdIf, "nodad"]);
    for (const a of behind) {
      must(["ip", "-n", n.fwd, "addr", "add", `${a}/32`, "dev", n.fwdIf]);
      must(["ip", "-n", n.srv, "route", "add", `${a}/32`, "dev", n.outIf]);
    }
    must(["ip", "-n", n.fwd, "route", "add", "default", "via", "198.18.1.1"]);
    must(["ip", "-n", n.fwd, "-6", "route", "add", "default", "via", "2001:db8:fffe::1"]);
    // The client: every source as a host address, routes to the server and to the host behind it over the veth.
    const batch = sources.map(
      (s) => `address add ${s}/${s.includes(":") ? 128 : 32} dev ${n.cliIf}${s.includes(":") ? " nodad" : ""}`,
    );
    batch.push(`route add ${SERVER4}/32 dev ${n.cliIf}`, `route add ${BEHIND4}/32 via ${SERVER4} dev ${n.cliIf}`);
    batch.push(`route add ${SERVER6}/128 dev ${n.cliIf}`, `route add ${BEHIND6}/128 via ${SERVER6} dev ${n.cliIf}`);
    must(["ip", "-n", n.cli, "-batch", "-"], batch.join("\n") + "\n");

    writeFileSync(join(this.dir, "prober.py"), PROBER);
    writeFileSync(join(this.dir, "listener.py"), LISTENER);
    this.listen(n.srv, [`${SERVER4},443`, `${SERVER6},443`]);
    this.listen(n.fwd, [`${BEHIND4},443`, `${BEHIND6},443`, ...behind.map((a) => `${a},443`)]);
    const p = spawn("ip", ["netns", "exec", n.cli, "python3", join(this.dir, "prober.py")]);
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (d: string) => {
      this.buffer += d;
      let i: number;
      while ((i = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.pending.shift()?.(line);
      }
    });
    this.prober = p;
  }

  private listen(ns: string, args: string[]): void {
    const l = spawn("ip", ["netns", "exec", ns, "python3", join(this.dir, "listener.py"), ...args]);
    this.listeners.push(l);
    // Ready before the first probe: wait synchronously for "ready" is not possible here; probes retry via the timeout.
  }

  /** Waits until both listeners accept connections with no firewall loaded. */
  async ready(): Promise<void> {
    const deadline = Date.now() + 10000;
    for (;;) {
      this.reset();
      const r = await this.probe(
        [SERVER4, BEHIND4].map((d) => [this.firstSource!, d] as [string, string]),
        [],
        443,
        0,
      );
      const ok = r.results.every((x) => x === "open");
      if (ok || Date.now() > deadline) {
        if (!ok) throw new Error(`the lab's listeners do not answer: ${r.results.join(", ")}`);
        return;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }

  firstSource?: string;

  /** Removes every rule and set of the server namespace (iptables-nft tables are nft tables too). */
  reset(): void {
    must(["ip", "netns", "exec", this.names.srv, "sh", "-c", "nft flush ruleset && ipset -q destroy; true"]);
  }

  /** Loads a case: `script` is a shell script run in the server namespace (files written beside it). */
  load(files: Readonly<Record<string, string>>, script: string): { ok: boolean; out: string } {
    for (const [name, body] of Object.entries(files)) writeFileSync(join(this.dir, name), body);
    return run([
      "ip",
      "netns",
      "exec",
      this.names.srv,
      "sh",
      "-ec",
      `cd ${this.dir}; nft flush ruleset; ipset -q destroy || true; ${script}`,
    ]);
  }

  /** Runs a shell script in the server namespace and returns its standard output ("nft list ruleset" …). */
  read(script: string): string {
    const r = spawnSync("ip", ["netns", "exec", this.names.srv, "sh", "-ec", script], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
    return r.stdout;
  }

  /**
   * Opens a connection from each source to its destination at once. The expected-open ones get `timeout` seconds;
   * the others are decided `grace` seconds after those finish (an accepted connection opens in milliseconds).
   */
  probe(
    expectOpen: readonly (readonly [string, string])[],
    expectBlocked: readonly (readonly [string, string])[],
    port: number,
    grace = 0.4,
    timeout = 3,
  ): Promise<ProbeResult> {
    return new Promise((resolve, reject) => {
      if (!this.prober) return reject(new Error("no prober"));
      const timer = setTimeout(() => reject(new Error("the prober does not answer")), (timeout + grace + 20) * 1000);
      this.pending.push((line) => {
        clearTimeout(timer);
        const r = JSON.parse(line) as { open: string[]; blocked: string[] };
        const open = new Set<string>();
        expectOpen.forEach(([s], i) => r.open[i] === "open" && open.add(s));
        expectBlocked.forEach(([s], i) => r.blocked[i] === "open" && open.add(s));
        resolve({ open, results: [...r.open, ...r.blocked] });
      });
      this.prober.stdin.write(JSON.stringify({ port, timeout, grace, expectOpen, expectBlocked }) + "\n");
    });
  }

  close(): void {
    this.prober?.stdin.end();
    this.prober?.kill();
    for (const l of this.listeners) l.kill();
    for (const ns of [this.names.cli, this.names.srv, this.names.fwd]) run(["ip", "netns", "del", ns]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
