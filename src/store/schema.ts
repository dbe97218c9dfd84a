import type { Migration } from "./migrations.js";

/** Porter's schema history. Never edit an applied migration: append a new one. */
export const MIGRATIONS: readonly Migration[] = [];
