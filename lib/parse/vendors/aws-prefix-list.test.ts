import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { awsPrefixListParser } from "./aws";
import { assertDetected, rows } from "./linux.testkit";

const SAMPLE_0 = `{
    "Entries": [
        {
            "Cidr": "13.232.152.0/24",
            "Description": "Freshworks IN"
        },
        {
            "Cidr": "18.208.240.64/26",
            "Description": "Freshworks US"
        },
        {
            "Cidr": "2406:da00:ff00::/48"
        },
        {
            "Cidr": "52.5.21.007/32"
        }
    ]
}
`;

describe("aws-prefix-list parser", () => {
  test("get-managed-prefix-list-entries is read as the allowlist", () => {
    assert.deepEqual(rows(awsPrefixListParser.parse(SAMPLE_0)), {
      entries: [
        [4, "13.232.152.0/24", "cidr", "allow", "in", "", "", "", 0, "13.232.152.0/24", "Freshworks IN"],
        [8, "18.208.240.64/26", "cidr", "allow", "in", "", "", "", 0, "18.208.240.64/26", "Freshworks US"],
        [12, "2406:da00:ff00::/48", "cidr", "allow", "in", "", "", "", 0, "2406:da00:ff00::/48", ""],
      ],
      findings: [
        [15, "ambiguous", '"52.5.21.007/32" is not an address, prefix or range: leading zero is ambiguous (octal?).'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0]) assertDetected(s, "aws-prefix-list");
  });

  test("a bare entries array reads the same", () => {
    assert.deepEqual(rows(awsPrefixListParser.parse('[\n  { "Cidr": "52.5.21.7/32" }\n]\n')).entries, [
      [2, "52.5.21.7", "cidr", "allow", "in", "", "", "", 0, "52.5.21.7/32", ""],
    ]);
  });

  // aws ec2 describe-managed-prefix-lists names the lists, not their entries (those come from
  // get-managed-prefix-list-entries): it read as an empty allowlist, everything missing, without a word.
  test("describe-managed-prefix-lists output says which command gives the entries", () => {
    const text = `{
    "PrefixLists": [
        {
            "PrefixListId": "pl-0f00ba7",
            "AddressFamily": "IPv4",
            "PrefixListName": "freshworks-au",
            "MaxEntries": 10
        }
    ]
}
`;
    assertDetected(text, "aws-prefix-list");
    const out = awsPrefixListParser.parse(text);
    assert.deepEqual(out.entries, []);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "not-understood",
          "This is describe-managed-prefix-lists output: it names the list (pl-0f00ba7) but not its entries. Paste the output of aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-0f00ba7 instead.",
        ],
      ],
    );
  });
});
