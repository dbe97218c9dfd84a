import { Catalog, type MessageValues } from "../../i18n/catalog.js";
import { BUILT_IN_LOCALES, type BuiltInLocale, REFERENCE_LOCALE } from "../../i18n/locales.js";
import { matchLocale, negotiateLocale } from "../../i18n/negotiate.js";
import { type Brand, PLAIN_BRAND } from "./brand.js";
import { de } from "./messages/de.js";
import { en, type PageKey } from "./messages/en.js";
import { es } from "./messages/es.js";
import { fr } from "./messages/fr.js";
import { it } from "./messages/it.js";
import { nl } from "./messages/nl.js";
import { pl } from "./messages/pl.js";
import { ptBR } from "./messages/pt-BR.js";
import { ru } from "./messages/ru.js";
import { sv } from "./messages/sv.js";

export type { PageKey } from "./messages/en.js";

export const PAGE_MESSAGES: Readonly<Record<BuiltInLocale, Readonly<Record<PageKey, string>>>> = {
  en,
  de,
  fr,
  es,
  it,
  nl,
  pl,
  "pt-BR": ptBR,
  ru,
  sv,
};

export type Translate = (key: PageKey, values?: MessageValues) => string;

/** A language a visitor can switch to, named in itself. */
export interface LanguageChoice {
  readonly locale: string;
  readonly name: string;
}

/** The language one page is rendered in. */
export interface PageLanguage {
  readonly locale: string;
  readonly t: Translate;
  /** Every language the pages speak, for the switch. */
  readonly choices: readonly LanguageChoice[];
  /** Whether the visitor picked it (?lang=): forms then carry the choice to the page they post to. */
  readonly chosen: boolean;
  /** The operator's site: it travels with the language because every page template is handed the language. */
  readonly brand: Brand;
}

/**
 * The pages' words in every language Porter speaks: the built-in catalogs,
 * with the operator's files on top (pages.locales_dir), each message
 * compiled once, when first shown.
 */
export class PageWords {
  private readonly catalog: Catalog<PageKey>;
  private readonly choices: readonly LanguageChoice[];

  constructor(
    sources: ReadonlyMap<string, Partial<Record<PageKey, string>>>,
    private readonly defaultLocale: string,
    readonly brand: Brand = PLAIN_BRAND,
  ) {
    this.catalog = new Catalog(sources, REFERENCE_LOCALE);
    if (!this.catalog.has(defaultLocale)) throw new Error(`no messages for the default language ${defaultLocale}`);
    this.choices = this.catalog.locales.map((locale) => ({ locale, name: this.catalog.format(locale, "languageName") }));
  }

  /** Only the built-in catalogs. */
  static builtIn(defaultLocale: BuiltInLocale = REFERENCE_LOCALE): PageWords {
    return new PageWords(new Map(BUILT_IN_LOCALES.map((locale) => [locale, PAGE_MESSAGES[locale]])), defaultLocale);
  }

  /**
   * The language for a request: the one asked for with ?lang=, else the best
   * of Accept-Language, else pages.default_language.
   */
  choose(asked: unknown, acceptLanguage: string | undefined): PageLanguage {
    const available = this.catalog.locales;
    const picked = typeof asked === "string" ? matchLocale(asked, available) : undefined;
    return this.in(picked ?? negotiateLocale(acceptLanguage, available) ?? this.defaultLocale, picked !== undefined);
  }

  in(locale: string, chosen = false): PageLanguage {
    return {
      locale,
      t: (key, values) => this.catalog.format(locale, key, values),
      choices: this.choices,
      chosen,
      brand: this.brand,
    };
  }
}
