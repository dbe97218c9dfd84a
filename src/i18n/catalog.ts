import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";

/** Values a message may interpolate. Dates are formatted in UTC, as Porter's other outputs are. */
export type MessageValues = Readonly<Record<string, string | number | Date>>;

/** One locale's messages, ICU MessageFormat sources by key. */
export type MessageSources<K extends string> = Readonly<Record<K, string>>;

// Messages are plain text: a "<" is a character, never a tag, and pages escape it like any other.
const PARSE_OPTIONS = { ignoreTag: true } as const;
const FORMATS = { date: { long: { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" } } } as const;

/** The placeholder names a message uses, sorted; throws when the message is not valid ICU MessageFormat. */
export function placeholdersOf(message: string): string[] {
  const names = new Set<string>();
  const visit = (elements: readonly MessageFormatElement[]): void => {
    for (const element of elements) {
      switch (element.type) {
        case TYPE.argument:
        case TYPE.number:
        case TYPE.date:
        case TYPE.time:
          names.add(element.value);
          break;
        case TYPE.select:
        case TYPE.plural:
          names.add(element.value);
          for (const option of Object.values(element.options)) visit(option.value);
          break;
        case TYPE.tag:
          visit(element.children);
          break;
        case TYPE.literal:
        case TYPE.pound:
          break;
      }
    }
  };
  visit(parse(message, PARSE_OPTIONS));
  return [...names].sort();
}

/**
 * What is wrong with a locale's messages measured against the reference
 * locale: keys it lacks (when it must be complete), keys the reference does
 * not have, messages that do not compile, and messages whose placeholders
 * differ from the reference's. Each problem names its key.
 */
export function catalogProblems(reference: Readonly<Record<string, string>>, candidate: Readonly<Record<string, unknown>>, complete: boolean): string[] {
  const problems: string[] = [];
  if (complete) {
    for (const key of Object.keys(reference)) if (!(key in candidate)) problems.push(`${key}: missing`);
  }
  for (const [key, message] of Object.entries(candidate)) {
    const expected = reference[key];
    if (expected === undefined) {
      problems.push(`${key}: not a message Porter has`);
      continue;
    }
    if (typeof message !== "string") {
      problems.push(`${key}: must be a string`);
      continue;
    }
    let names: string[];
    try {
      names = placeholdersOf(message);
    } catch (err) {
      problems.push(`${key}: not valid ICU MessageFormat (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    const wanted = placeholdersOf(expected);
    if (names.join(",") !== wanted.join(",")) {
      problems.push(`${key}: uses ${listed(names)} where the English message uses ${listed(wanted)}`);
    }
  }
  return problems;
}

function listed(names: readonly string[]): string {
  return names.length === 0 ? "no placeholders" : names.map((name) => `{${name}}`).join(", ");
}

/**
 * Messages of several locales, each compiled the first time it is used and
 * kept: most of a dozen languages' messages are never shown by a given
 * Porter, and compiling them all cost a tenth of a second and some MiB at
 * start. Messages are known to compile before they get here: the built-in
 * catalogs by their tests, the operator's files by catalogProblems at load.
 * A locale may lack keys: those come from the fallback locale.
 */
export class Catalog<K extends string> {
  private readonly compiled = new Map<string, IntlMessageFormat>();

  constructor(
    private readonly sources: ReadonlyMap<string, Partial<MessageSources<K>>>,
    private readonly fallback: string,
  ) {
    if (!sources.has(fallback)) throw new Error(`the catalog has no messages for its fallback locale ${fallback}`);
  }

  get locales(): string[] {
    return [...this.sources.keys()];
  }

  has(locale: string): boolean {
    return this.sources.has(locale);
  }

  format(locale: string, key: K, values: MessageValues = {}): string {
    const message = this.compiledOf(locale, key) ?? this.compiledOf(this.fallback, key);
    if (message === undefined) throw new Error(`no message ${key}`);
    return String(message.format(values));
  }

  private compiledOf(locale: string, key: K): IntlMessageFormat | undefined {
    const id = `${locale}\n${key}`;
    const known = this.compiled.get(id);
    if (known !== undefined) return known;
    const source = this.sources.get(locale)?.[key];
    if (typeof source !== "string") return undefined;
    const compiled = new IntlMessageFormat(source, locale, FORMATS, PARSE_OPTIONS);
    this.compiled.set(id, compiled);
    return compiled;
  }
}
