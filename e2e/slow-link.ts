import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A proxy in front of the app that delivers one page's HTML as a slow link does: in `pieces` parts with `pauseMs`
 * between them, uncompressed. Every other request passes straight through. Cookies are per host, not per port, so a
 * signed-in browser context stays signed in on the proxy's origin.
 */
export async function slowLink(
  upstream: string,
  slowPath: string,
  { pieces, pauseMs }: { pieces: number; pauseMs: number },
): Promise<{ origin: string; close: () => Promise<void> }> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers, host: target.host };
    const slow = req.url === slowPath;
    if (slow) headers["accept-encoding"] = "identity";
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (upstreamRes) => {
        if (!slow) {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        upstreamRes.on("data", (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on("end", async () => {
          const body = Buffer.concat(chunks);
          const { "content-length": _length, "transfer-encoding": _encoding, ...rest } = upstreamRes.headers;
          res.writeHead(upstreamRes.statusCode ?? 502, rest);
          const size = Math.ceil(body.length / pieces);
          for (let at = 0; at < body.length; at += size) {
            res.write(body.subarray(at, at + size));
            await new Promise((resolve) => setTimeout(resolve, pauseMs));
          }
          res.end();
        });
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
