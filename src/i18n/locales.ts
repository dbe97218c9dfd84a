/**
 * The languages Porter ships, as BCP 47 tags. Operators may add more from
 * files (pages.locales_dir); these are the ones every catalog must cover.
 */
export const BUILT_IN_LOCALES = ["en", "de", "fr", "es", "it", "nl", "pl", "pt-BR", "ru", "sv"] as const;

export type BuiltInLocale = (typeof BUILT_IN_LOCALES)[number];

/** The language every other catalog is checked against, and the one missing words come from. */
export const REFERENCE_LOCALE: BuiltInLocale = "en";

export function isBuiltInLocale(tag: string): tag is BuiltInLocale {
  return (BUILT_IN_LOCALES as readonly string[]).includes(tag);
}
