import type { BrowserContextOptions } from "playwright-core";

/** The languages shot: the browser asks for each by Accept-Language and the address by ?lang=. */
export const LANGUAGES = [
  { code: "en", locale: "en-US", name: "English" },
  { code: "de", locale: "de-DE", name: "German" },
  { code: "fr", locale: "fr-FR", name: "French" },
] as const;

export type Language = (typeof LANGUAGES)[number];

const CHROME = "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0";

export interface Viewport {
  readonly name: "phone" | "desktop";
  /** For the index. */
  readonly description: string;
  readonly context: BrowserContextOptions;
}

/**
 * A phone and a desktop as visitors bring them: the User-Agent is a real
 * browser's, since pages may choose what to show by platform.
 */
export const VIEWPORTS: readonly Viewport[] = [
  {
    name: "phone",
    description: "390×844, Chrome on Android",
    context: {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 8) ${CHROME} Mobile Safari/537.36`,
    },
  },
  {
    name: "desktop",
    description: "1280×800, Chrome on Windows",
    context: {
      viewport: { width: 1280, height: 800 },
      userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${CHROME} Safari/537.36`,
    },
  },
];

export function screenshotFile(page: string, language: Language, viewport: Viewport): string {
  return `${page}-${language.code}-${viewport.name}.png`;
}
