import { type SignupProblem, signupProblemFacts } from "../../accounts/credentials.js";
import { Catalog, type MessageValues } from "../../i18n/catalog.js";
import { type BuiltInLocale, REFERENCE_LOCALE } from "../../i18n/locales.js";
import { matchLocale } from "../../i18n/negotiate.js";
import type { Refusal } from "../../invites/errors.js";
import { de } from "./de.js";
import { en, type XmppKey } from "./en.js";
import { es } from "./es.js";
import { fr } from "./fr.js";
import { it } from "./it.js";
import { nl } from "./nl.js";
import { pl } from "./pl.js";
import { ptBR } from "./pt-BR.js";
import { ru } from "./ru.js";
import { sv } from "./sv.js";

export type { XmppKey } from "./en.js";

export const XMPP_MESSAGES: Readonly<Record<BuiltInLocale, Readonly<Record<XmppKey, string>>>> = {
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

/** A text and the language it is in, for the xml:lang of what carries it. */
export interface Spoken {
  readonly text: string;
  readonly lang: string;
}

/**
 * Porter's words over XMPP, in the requester's language (the xml:lang of
 * their stanza) when Porter speaks it, else in pages.default_language.
 */
export class XmppWords {
  private readonly catalog = new Catalog(new Map(Object.entries(XMPP_MESSAGES)), REFERENCE_LOCALE);
  private readonly defaultLocale: string;

  constructor(defaultLanguage: string) {
    this.defaultLocale = matchLocale(defaultLanguage, this.catalog.locales) ?? REFERENCE_LOCALE;
  }

  say(lang: string | undefined, key: XmppKey, values: MessageValues = {}): Spoken {
    const locale = (lang === undefined ? undefined : matchLocale(lang, this.catalog.locales)) ?? this.defaultLocale;
    return { text: this.catalog.format(locale, key, values), lang: locale };
  }

  refusal(lang: string | undefined, refusal: Refusal): Spoken {
    const { code, ...facts } = refusal;
    // An invite's number is its name, not a quantity: no digit grouping.
    const values = Object.fromEntries(Object.entries(facts).map(([name, value]) => [name, name === "id" ? String(value) : value])) as MessageValues;
    return this.say(lang, `refusal.${code}`, values);
  }

  signup(lang: string | undefined, problem: SignupProblem): Spoken {
    return this.say(lang, `signup.${problem}`, signupProblemFacts(problem));
  }
}
