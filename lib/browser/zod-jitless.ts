import { z } from "zod";

// zod 4 probes `new Function("")` to decide whether to compile its object parsers; the pages' Content-Security-Policy
// (no 'unsafe-eval') blocks that probe, and the browser reports a CSP violation. In the browser zod runs jitless;
// the server keeps the compiled parsers.
if (typeof window !== "undefined") z.config({ jitless: true });
