// Run before the server starts (npm start, npm run dev, the browser tests): settings that no longer exist or are
// malformed stop the start with a message, instead of a server that is more open (or closed) than its operator meant.
import { AuthConfigError, checkAuthEnv } from "./config";

try {
  for (const warning of checkAuthEnv(process.env)) process.stderr.write(`allowlist: ${warning}\n`);
} catch (e) {
  if (!(e instanceof AuthConfigError)) throw e;
  process.stderr.write(`allowlist: refusing to start: ${e.message}\n`);
  process.exit(1);
}
