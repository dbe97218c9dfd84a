import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { ConfigError } from "../../../src/config/load.js";
import { loadPageWords } from "../../../src/http/pages/locale-files.js";
import { PAGE_MESSAGES } from "../../../src/http/pages/words.js";
import { catalogProblems, placeholdersOf } from "../../../src/i18n/catalog.js";
import { BUILT_IN_LOCALES, REFERENCE_LOCALE } from "../../../src/i18n/locales.js";
import { matchLocale, negotiateLocale, parseAcceptLanguage } from "../../../src/i18n/negotiate.js";
import { XMPP_MESSAGES } from "../../../src/xmpp/words/index.js";

const CATALOGS = { pages: PAGE_MESSAGES, xmpp: XMPP_MESSAGES } as const;

describe("the message catalogs", () => {
  for (const [name, catalog] of Object.entries(CATALOGS)) {
    for (const locale of BUILT_IN_LOCALES) {
      it(`${name}: ${locale} has every key of English and no other, each compiling with English's placeholders`, () => {
        assert.deepEqual(catalogProblems(catalog[REFERENCE_LOCALE], catalog[locale], true), []);
      });
    }
  }

  it("finds a missing key, an extra key, a message that does not compile and one with other placeholders", () => {
    const reference = { a: "Hello {name}", b: "{n, plural, one {# invite} other {# invites}}" };
    assert.deepEqual(catalogProblems(reference, { a: "Hallo {name}" }, true), ["b: missing"]);
    assert.deepEqual(catalogProblems(reference, { a: "Hallo {name}", c: "x" }, false), ["c: not a message Porter has"]);
    assert.match(catalogProblems(reference, { a: "Hallo {name" }, false)[0] ?? "", /^a: not valid ICU MessageFormat/);
    assert.deepEqual(catalogProblems(reference, { a: "Hallo {nom}" }, false), ["a: uses {nom} where the English message uses {name}"]);
    assert.deepEqual(catalogProblems(reference, { b: "{count, plural, other {# Einladungen}}" }, false), [
      "b: uses {count} where the English message uses {n}",
    ]);
  });

  it("reads the placeholders inside plural and select branches", () => {
    assert.deepEqual(placeholdersOf("{why, select, a {x {jid}} other {y}} {n, plural, other {#}} {d, date, long}"), ["d", "jid", "n", "why"]);
  });
});

describe("choosing a language", () => {
  const available = [...BUILT_IN_LOCALES];

  it("orders Accept-Language by weight, keeps the header's order for equal weights, and drops q=0", () => {
    assert.deepEqual(parseAcceptLanguage("fr;q=0.5, de-AT, sv;q=0, en;q=0.8, it;q=0.8"), ["de-AT", "en", "it", "fr"]);
    assert.deepEqual(parseAcceptLanguage(undefined), []);
    assert.deepEqual(parseAcceptLanguage("not a tag!, ;q=1, nl;q=2"), []);
  });

  it("serves a regional tag by its language and a bare language by its regional variant", () => {
    assert.equal(matchLocale("de-AT", available), "de");
    assert.equal(matchLocale("pt", available), "pt-BR");
    assert.equal(matchLocale("PT-br", available), "pt-BR");
    assert.equal(matchLocale("pt-PT", available), "pt-BR");
    assert.equal(matchLocale("tlh", available), undefined);
  });

  it("takes the first wanted language Porter has", () => {
    assert.equal(negotiateLocale("tlh, ru;q=0.3, nl;q=0.9", available), "nl");
    assert.equal(negotiateLocale("tlh", available), undefined);
    assert.equal(negotiateLocale("*", available), undefined);
  });
});

describe("the operator's language files (pages.locales_dir)", () => {
  const dir = mkdtempSync(join(tmpdir(), "porter-locales-"));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const folder = (files: Record<string, unknown>) => {
    const path = mkdtempSync(join(dir, "set-"));
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(path, name), typeof content === "string" ? content : JSON.stringify(content));
    }
    return path;
  };
  const problems = (files: Record<string, unknown>, defaultLanguage = "en") => {
    try {
      loadPageWords({ default_language: defaultLanguage, locales_dir: folder(files) });
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it("overrides single messages of a built-in language and adds a complete new one", () => {
    const fi = { ...PAGE_MESSAGES.en, languageName: "Suomi", formFirstTitle: "Luo tilisi" };
    const words = loadPageWords({ default_language: "fi", locales_dir: folder({ "de.json": { createAccount: "Jetzt loslegen" }, "fi.json": fi }) });
    assert.equal(words.in("de").t("createAccount"), "Jetzt loslegen");
    assert.equal(words.in("de").t("setPassword"), "Passwort festlegen");
    assert.equal(words.choose(undefined, undefined).locale, "fi", "an added language can be the default");
    assert.ok(words.in("fi").choices.some((choice) => choice.locale === "fi" && choice.name === "Suomi"));
  });

  it("names the file and key of every problem", () => {
    const found = problems({
      "de.json": { createAccount: "Konto {anlegen", noSuchKey: "x", inviteTitle: "Eingeladen zu {server}" },
      "fi.json": { languageName: "Suomi" },
      "bad.name.json": {},
      "it.json": "[1]",
    });
    assert.ok(
      found.some((p) => p.includes("/de.json: createAccount: not valid ICU MessageFormat")),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => p.endsWith("/de.json: noSuchKey: not a message Porter has")),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => p.endsWith("/de.json: inviteTitle: uses {server} where the English message uses {host}")),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => p.endsWith("/fi.json: inviteTitle: missing")),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => p.includes("bad.name.json: the file name must be a language tag")),
      found.join("\n"),
    );
    assert.ok(
      found.some((p) => p.endsWith("/it.json: must be an object of messages by key")),
      found.join("\n"),
    );
    assert.ok(
      found.every((p) => p.startsWith(`pages.locales_dir: ${dir}/`)),
      found.join("\n"),
    );
  });

  it("refuses a default language that no catalog has", () => {
    assert.deepEqual(problems({}, "fi"), [`pages.default_language: fi is none of the languages the pages have (${BUILT_IN_LOCALES.join(", ")})`]);
  });
});
