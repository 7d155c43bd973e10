export type { Address, Family, IpErrorCode, IpParseError, Parsed, Prefix, Range } from "./types";
export {
  addressBits,
  addressEquals,
  compareAddress,
  formatAddress,
  isIPv4Mapped,
  makeAddress,
  maxValue,
  mustParseAddress,
  parseAddress,
  parseIPv4,
  parseIPv6,
  unmap,
} from "./address";
export { hostMaskValue, maskValue, netmaskFromBits, parseNetmask, parseWildcardMask, wildcardFromBits } from "./mask";
export {
  comparePrefix,
  formatPrefix,
  hasHostBits,
  makePrefix,
  maskPrefix,
  mustParsePrefix,
  parsePrefix,
  parsePrefixOrAddress,
  prefixContains,
  prefixEquals,
  prefixRange,
  prefixSize,
} from "./prefix";
export {
  compareRange,
  formatRange,
  makeRange,
  parseRange,
  parseTrailingWildcard,
  rangeAsPrefix,
  rangeContains,
  rangeContainsRange,
  rangeEquals,
  rangeOf,
  rangeSize,
  rangesOverlap,
  rangeToPrefixes,
} from "./range";
export { IPSet, IPSetBuilder } from "./set";
export type { IPSetItem } from "./set";
export { aggregate } from "./aggregate";
