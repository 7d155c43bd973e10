// Run before the server starts (npm start, npm run dev, the browser tests): a malformed access setting stops the
// start with a message naming the entry, instead of a server that is more open than its operator meant.
import { AuthConfigError, readAuthConfig } from "./permissions";

try {
  readAuthConfig(process.env);
} catch (e) {
  if (!(e instanceof AuthConfigError)) throw e;
  process.stderr.write(`allowlist: refusing to start: ${e.message}\n`);
  process.exit(1);
}
