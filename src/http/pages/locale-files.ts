import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { catalogProblems } from "../../i18n/catalog.js";
import { BUILT_IN_LOCALES, isBuiltInLocale, REFERENCE_LOCALE } from "../../i18n/locales.js";
import { matchLocale } from "../../i18n/negotiate.js";
import { ConfigError } from "../../config/load.js";
import type { Brand } from "./brand.js";
import { PAGE_MESSAGES, type PageKey, PageWords } from "./words.js";

const LOCALE_FILE = /^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.json$/;

/**
 * The pages' words as the operator configured them: the built-in catalogs,
 * overridden or extended by the `<locale>.json` files of pages.locales_dir.
 * A file for a built-in language may override any of its messages; a file
 * for a new language must have every message. Each problem (a key Porter
 * does not have, a message that does not compile or uses other placeholders
 * than the English one) names its file and key, and stops the start.
 */
export function loadPageWords(pages: { readonly default_language: string; readonly locales_dir: string | null }, brand?: Brand): PageWords {
  const sources = new Map<string, Partial<Record<PageKey, string>>>(BUILT_IN_LOCALES.map((locale) => [locale, PAGE_MESSAGES[locale]]));
  const problems: string[] = [];
  if (pages.locales_dir !== null) {
    for (const [locale, { path, messages }] of readLocaleFiles(pages.locales_dir, problems)) {
      const builtIn = isBuiltInLocale(locale);
      const where = `pages.locales_dir: ${path}`;
      const found = catalogProblems(PAGE_MESSAGES[REFERENCE_LOCALE], messages, !builtIn);
      problems.push(...found.map((problem) => `${where}: ${problem}`));
      // Checked above: every key is Porter's and every value a message.
      const checked = messages as Partial<Record<PageKey, string>>;
      if (found.length === 0) sources.set(locale, builtIn ? { ...PAGE_MESSAGES[locale], ...checked } : checked);
    }
  }
  const defaultLocale = matchLocale(pages.default_language, [...sources.keys()]);
  if (defaultLocale === undefined) {
    problems.push(`pages.default_language: ${pages.default_language} is none of the languages the pages have (${[...sources.keys()].join(", ")})`);
  }
  if (problems.length > 0 || defaultLocale === undefined) throw new ConfigError(problems);
  return new PageWords(sources, defaultLocale, brand);
}

interface LocaleFile {
  readonly path: string;
  readonly messages: Readonly<Record<string, unknown>>;
}

function readLocaleFiles(dir: string, problems: string[]): Map<string, LocaleFile> {
  const found = new Map<string, LocaleFile>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    problems.push(`pages.locales_dir: cannot read ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return found;
  }
  for (const name of names.sort()) {
    if (!name.endsWith(".json")) continue;
    const path = join(dir, name);
    const tag = LOCALE_FILE.exec(name)?.[1];
    if (tag === undefined) {
      problems.push(`pages.locales_dir: ${path}: the file name must be a language tag such as de.json or pt-BR.json`);
      continue;
    }
    // pt-br.json overrides the built-in pt-BR: language tags compare without regard to case.
    const locale = BUILT_IN_LOCALES.find((builtIn) => builtIn.toLowerCase() === tag.toLowerCase()) ?? tag;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
      problems.push(`pages.locales_dir: ${path}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      problems.push(`pages.locales_dir: ${path}: must be an object of messages by key`);
      continue;
    }
    found.set(locale, { path, messages: parsed as Record<string, unknown> });
  }
  return found;
}
