export type * from "./types";
export { countLines, parsePlain, parseTerm, plainParser, scanTerms } from "./plain";
export type { Locate, Sink, Term } from "./plain";
export { csvParser, detectCsv, parseCsv } from "./csv";
export {
  MAX_INPUT_BYTES,
  detectFormat,
  exceedsInputLimit,
  utf8Length,
  formatIds,
  formatLabel,
  isFormatId,
  parseText,
  parsers,
} from "./registry";
export type { Detection, ParseTextOptions } from "./registry";
export { columnEntry, columnToken, plainColumnsToParseOutput, scanPlainColumns } from "./columnar";
export type { PlainColumns } from "./columnar";
