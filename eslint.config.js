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
    // Route handlers and composition read as short named steps (docs/architecture.md).
    files: ["src/**"],
    rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }] },
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
  // The layers (docs/architecture.md): edges (src/xmpp, src/http, src/cli,
  // src/control) over the domain (src/invites, src/accounts, src/oauth2) over
  // storage (src/store) and the foundations (access, config, address, color, i18n,
  // limits, log, metrics). src/app.ts and the CLI commands compose them. An import
  // that climbs a layer, or an edge that reaches past storage's errors into
  // its internals, fails the lint.
  {
    files: ["src/invites/**", "src/accounts/**", "src/oauth2/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@xmpp/*", "fastify", "fastify/*", "@fastify/*"], message: "protocol edges live in src/xmpp and src/http" },
            { group: ["better-sqlite3", "**/store/*"], message: "the domain receives its stores through interfaces; src/app.ts builds them" },
            { group: ["**/xmpp/*", "**/http/*", "**/cli/*", "**/control/*", "**/app.js"], message: "the domain does not know the edges above it" },
          ],
        },
      ],
    },
  },
  {
    files: ["src/store/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@xmpp/*", "fastify", "fastify/*", "@fastify/*"], message: "protocol edges live in src/xmpp and src/http" },
            { group: ["**/xmpp/*", "**/http/*", "**/cli/*", "**/control/*", "**/app.js"], message: "storage does not know the layers above it" },
          ],
        },
      ],
    },
  },
  {
    files: ["src/access/**", "src/config/**", "src/address/**", "src/color/**", "src/i18n/**", "src/limits/**", "src/log/**", "src/metrics/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@xmpp/*", "fastify", "fastify/*", "@fastify/*", "better-sqlite3"], message: "foundations stay free of the wire and the storage" },
            {
              group: ["**/xmpp/*", "**/http/*", "**/cli/*", "**/control/*", "**/store/*", "**/invites/*", "**/accounts/*", "**/oauth2/*", "**/app.js"],
              message: "foundations do not know the layers above them",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/xmpp/**", "src/http/**", "src/control/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["better-sqlite3", "**/store/*", "!**/store/errors.js"],
              message: "edges get their stores from src/app.ts and see storage only through its errors",
            },
            { group: ["**/cli/*", "**/app.js"], message: "an edge does not reach into another edge's composition" },
          ],
        },
      ],
    },
  },
  {
    files: ["eslint.config.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
