const LABEL = "[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?";
/** Dotted labels, the last one holding a letter (every top-level domain does; "0x0a.1.1.1" is not a name). */
const HOST_NAME = new RegExp(`^(?:${LABEL}\\.)+(?=[a-z0-9_-]*[a-z])${LABEL}\\.?$`, "i");

/**
 * A DNS name such as "hooks.example.com": the diff cannot check it. One test for plain lists and every vendor
 * parser, so a token is a "hostname" finding in all of them or in none.
 */
export function looksLikeHostname(token: string): boolean {
  return HOST_NAME.test(token);
}
