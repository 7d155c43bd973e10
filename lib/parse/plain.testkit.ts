import fc from "fast-check";

/** Random lines of the kinds a plain list holds: fast-path ones and every kind parsePlain reads another way. */
export const plainLine = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 15 })).map(([c, d]) => `10.0.${c}.${d}`),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 20, max: 32 }))
    .map(([c, d, l]) => `10.0.${c}.${d}/${l}`),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((v) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`),
  fc.constantFrom(
    "52.1.37.96",
    "52.1.37.96/32",
    "52.1.37.97/30",
    "52.1.32.88",
    "52.1.32.89/31",
    "3.74.148.8",
    "3.74.148.0/24",
    "52.0.0.0/8",
  ),
  fc.constantFrom("0.0.0.0/0", "1.0.0.0/8", "10.0.0.0/15", "10.0.0.0/16", "::/0", "2001:db8::/16", "2001:db8::/32"),
  fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 120, max: 128 })).map(([h, l]) => `2001:db8::${h}/${l}`),
  fc.integer({ min: 0, max: 7 }).map((h) => `2001:db8::${h}`),
  fc.constantFrom(
    "2001:DB8::1",
    "2001:0db8:0:0:0:0:0:3",
    "::",
    "::1",
    "1::",
    "2001:db8::",
    "2001:db8::/126",
    "2001:db8:0:0:0:0:0:0/125",
    "::ffff:10.0.0.1",
  ),
  fc.constantFrom(
    "2001:db8::/129",
    "2001:db8::/08",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":1::",
    "1:",
    "12345::",
    "fe80::1%eth0",
    "[::1]",
    "2001:db8::/64/1",
  ),
  fc.constantFrom(
    "10.0.0.1-10.0.0.9",
    "10.0.0.1 - 10.0.0.3",
    "10.0.1.*",
    "52.1.37.*",
    "10.0.0.0/255.255.255.0",
    "10.0.0.0/0.0.0.255",
  ),
  fc.constantFrom(
    "10.0.0.1, 10.0.0.2",
    "10.0.0.1;52.1.37.96",
    "10.0.0.3 # office",
    "52.1.32.88 // cdn",
    "  10.0.0.4\t",
    "10.0.0.5\r",
  ),
  fc.constantFrom(
    "bad",
    "052.1.37.96",
    "10.1",
    "example.com",
    "10.0.0.256",
    "10.0.0.1/33",
    "10.0.0.1/08",
    "abc",
    "dead:beef",
  ),
  fc.constantFrom("", "   ", "# comment", "; ini comment", "// note"),
);

export const plainText = fc
  .tuple(fc.array(plainLine, { maxLength: 40 }), fc.constantFrom("\n", "\r\n"), fc.boolean())
  .map(([lines, eol, trailing]) => lines.join(eol) + (trailing && lines.length > 0 ? eol : ""));
