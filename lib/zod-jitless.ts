import { z } from "zod";

// zod 4 probes whether it may compile parsers with `new Function("")`. The app's Content-Security-Policy has no
// 'unsafe-eval', so in the browser that probe is refused and reported as a violation: tell zod not to try.
// Imported (for this effect) by every module that defines a schema the browser uses.
z.config({ jitless: true });
