const DEFAULT_CAPACITY = 10_000;

/**
 * The language each user last spoke to Porter in (the xml:lang of their
 * stanzas), so that messages Porter sends on its own, such as notices, can
 * be in it. Kept in memory only, for the most recent users.
 */
export class RequesterLanguages {
  private readonly langs = new Map<string, string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  note(bareJid: string, lang: string | undefined): void {
    if (lang === undefined || lang === "") return;
    this.langs.delete(bareJid);
    this.langs.set(bareJid, lang);
    if (this.langs.size > this.capacity) {
      const oldest = this.langs.keys().next();
      if (oldest.done !== true) this.langs.delete(oldest.value);
    }
  }

  of(bareJid: string): string | undefined {
    return this.langs.get(bareJid);
  }
}
