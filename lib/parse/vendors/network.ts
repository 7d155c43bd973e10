import type { Parser } from "../types";
import { ciscoAsaParser } from "./cisco-asa";
import { ciscoIosParser } from "./cisco-ios";
import { fortigateParser } from "./fortigate";
import { junosParser } from "./junos";
import { panosParser } from "./panos";

/** Cisco ASA, Cisco IOS, PAN-OS, FortiGate and Junos parsers. */
export const networkParsers: readonly Parser[] = [
  ciscoAsaParser,
  ciscoIosParser,
  panosParser,
  fortigateParser,
  junosParser,
];
