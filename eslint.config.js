import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "demo/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "no-console": "error",
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] }] },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests read replies defensively (a missing element must fail an assertion, not throw),
    // which this rule flags wherever assert.ok() has already narrowed the type.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-unnecessary-condition": "off" },
  },
  {
    // The CLI and the developer scripts talk to a terminal on purpose.
    files: ["src/cli/**", "scripts/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  {
    // Domain and storage code must not know about the wire libraries.
    files: ["src/invites/**", "src/accounts/**", "src/store/**", "src/config/**", "src/oauth2/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@xmpp/*", "fastify", "fastify/*", "@fastify/*"], message: "protocol edges live in src/xmpp and src/http" }] },
      ],
    },
  },
  {
    files: ["eslint.config.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
