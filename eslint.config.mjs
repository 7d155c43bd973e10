// ESLint 9 flat config: typescript-eslint's recommended rules (syntax only: no type information, so it stays fast on
// this 2-core machine), the Next.js plugin, and React's hook rules. `npm run lint`, run by `npm test`.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      "data/",
      "lib/db/generated/",
      "lib/bench/results/",
      "playwright-report/",
      "test-results/",
      "e2e/artifacts/",
      "next-env.d.ts",
    ],
  },
  // A disable comment that no longer suppresses anything is an error: every one left is needed and says why.
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
    settings: { next: { rootDir: "." } },
  },
);
