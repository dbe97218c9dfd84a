/** One language range of an Accept-Language header, with its weight. */
interface Range {
  readonly tag: string;
  readonly q: number;
}

const MAX_RANGES = 20;

/**
 * The language ranges of an Accept-Language header (RFC 9110 §12.5.4),
 * most wanted first; ranges with q=0 are refused, so they are left out.
 * Malformed entries are skipped rather than spoiling the whole header.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (header === undefined) return [];
  const ranges: Range[] = [];
  for (const part of header.split(",").slice(0, MAX_RANGES)) {
    const [rawTag = "", ...params] = part.trim().split(";");
    const tag = rawTag.trim();
    if (!/^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/.test(tag)) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(param);
      if (match !== null) q = Number(match[1]);
      else if (/^\s*q\s*=/i.test(param)) q = 0;
    }
    if (q > 0) ranges.push({ tag, q });
  }
  // Array.prototype.sort is stable: equal weights keep the header's order.
  return ranges.sort((a, b) => b.q - a.q).map((range) => range.tag);
}

/**
 * The available locale that serves a requested tag: the same tag, else the
 * tag's language alone (de-AT is served by de), else a regional variant of
 * that language (pt is served by pt-BR). Case does not matter.
 */
export function matchLocale(requested: string, available: readonly string[]): string | undefined {
  const wanted = requested.toLowerCase();
  const exact = available.find((locale) => locale.toLowerCase() === wanted);
  if (exact !== undefined) return exact;
  const language = wanted.split("-")[0] ?? wanted;
  return available.find((locale) => locale.toLowerCase() === language) ?? available.find((locale) => locale.toLowerCase().startsWith(`${language}-`));
}

/** The first locale of the header that is available, or undefined when none is. */
export function negotiateLocale(acceptLanguage: string | undefined, available: readonly string[]): string | undefined {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    if (tag === "*") return undefined;
    const match = matchLocale(tag, available);
    if (match !== undefined) return match;
  }
  return undefined;
}
