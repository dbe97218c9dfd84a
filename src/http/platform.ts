/** The systems Porter recommends apps for. */
export const PLATFORMS = ["android", "ios", "macos", "windows", "linux"] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * The visitor's system, read from the User-Agent so that pages need no
 * script. Order matters: Android's agent says "Linux" too, and iOS agents
 * say "like Mac OS X". iPadOS asks for desktop pages with a Mac's agent, so
 * an iPad counts as a Mac, where the same apps are listed first. ChromeOS
 * and the unknown get no preference: every app is listed alike.
 */
export function platformOf(userAgent: string | undefined): Platform | null {
  if (userAgent === undefined) return null;
  if (/\bAndroid\b/i.test(userAgent)) return "android";
  if (/\b(?:iPhone|iPad|iPod)\b/i.test(userAgent)) return "ios";
  if (/\bCrOS\b/.test(userAgent)) return null;
  if (/\bMacintosh\b|\bMac OS X\b/i.test(userAgent)) return "macos";
  if (/\bWindows\b/i.test(userAgent)) return "windows";
  if (/\bLinux\b|\bX11\b/i.test(userAgent)) return "linux";
  return null;
}

/** Phones and tablets: the device that will hold the app, where a QR code is of no use. */
export function isHandheld(platform: Platform | null): boolean {
  return platform === "android" || platform === "ios";
}
