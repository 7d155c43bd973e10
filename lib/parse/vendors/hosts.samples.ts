/**
 * Synthetic configs for the host-firewall readers (issue 17), for the bench and the fuzz hang guard. Deterministic
 * from the seed; registered into sampleGenerators by samples.ts.
 */
import type { FormatId } from "../types";
import { type SampleGenerator, samplePrng } from "./samples";

function addresses(next: () => number): { v4: string; v4net: string; v6net: string } {
  const o = (n: number): number => Math.floor(next() * n);
  return {
    v4: `${1 + o(222)}.${o(256)}.${o(256)}.${o(256)}`,
    v4net: `${1 + o(222)}.${o(256)}.${o(256)}.0/24`,
    v6net: `2001:db8:${o(65536).toString(16)}::/48`,
  };
}

/** Lines from `unit(i)` until `lines` are written, after `head`. */
function fill(lines: number, head: readonly string[], unit: (i: number) => readonly string[]): string {
  const out = [...head];
  for (let i = 0; out.length < lines; i++) out.push(...unit(i));
  out.length = Math.max(lines, head.length);
  return out.join("\n") + "\n";
}

export const hostSampleGenerators: Partial<Record<FormatId, SampleGenerator>> = {
  ufw: (lines, seed) => {
    const next = samplePrng(seed);
    const head = ["Status: active", "Logging: on (low)", "Default: deny (incoming), allow (outgoing), disabled (routed)", "New profiles: skip", "", "     To                         Action      From", "     --                         ------      ----"];
    return fill(lines, head, (i) => {
      const { v4, v4net, v6net } = addresses(next);
      const n = `[${String(i + 1).padStart(2)}]`;
      if (i % 10 === 0) return [`${n} 8000:8100/tcp              ALLOW IN    ${v6net}`];
      if (i % 7 === 0) return [`${n} 443/tcp                    DENY IN     ${v4}`];
      if (i % 5 === 0) return [`${n} 443/tcp on eth0            ALLOW IN    ${v4net}                # site ${i}`];
      return [`${n} 443                        ALLOW IN    ${v4}`];
    });
  },
};

/** Words of each format, for the fuzz test's random lines. */
export const HOST_VOCABULARY: Readonly<Partial<Record<FormatId, readonly string[]>>> = {
  ufw: "ufw allow deny reject limit insert 1 prepend delete route in out on eth0 from to any port proto tcp udp app comment default incoming routed enable disable reset Status: active inactive Default: (incoming), (outgoing), (routed) To Action From -- ALLOW DENY REJECT LIMIT IN OUT FWD Anywhere (v6) 22/tcp 80,443/tcp 8000:8100/tcp [ 1] # ### tuple ### route:allow limit_log 0.0.0.0/0 ::/0 in_eth0 comment=41 OpenSSH Nginx%20Full - *filter COMMIT -A ufw-user-input".split(" "),
};
