/*
 * WCAG 2.x colour contrast, for the operator's accent colour: white button
 * text on it, and links in it on the light and the dark card, must stay
 * readable (AA: 4.5:1 for normal text).
 */

/** WCAG AA's minimum contrast for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

const HEX_COLOR = /^#[0-9a-f]{6}$/;

export function isHexColor(value: string): boolean {
  return HEX_COLOR.test(value);
}

function channels(hex: string): readonly [number, number, number] {
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as unknown as readonly [number, number, number];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((value) => Math.round(value).toString(16).padStart(2, "0")).join("")}`;
}

function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as unknown as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two #rrggbb colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The colour itself if it reaches the contrast against the background,
 * otherwise the least mix of it with white that does: the same hue, lighter,
 * for links on a dark background.
 */
export function lightenForContrast(color: string, background: string, minimum = MIN_TEXT_CONTRAST): string {
  const base = channels(color);
  for (let step = 0; step <= 100; step++) {
    const mixed = toHex(base.map((value) => value + ((255 - value) * step) / 100));
    if (contrastRatio(mixed, background) >= minimum) return mixed;
  }
  return "#ffffff";
}
