import { readFileSync } from "node:fs";

/*
 * The operator's logo, read once when the configuration is checked: Porter
 * serves it itself (no external asset on the pages), with a type taken from
 * its content, so that a misnamed file is refused instead of served wrong.
 */

export const MAX_LOGO_BYTES = 512 * 1024;

export type LogoType = "image/png" | "image/jpeg" | "image/webp" | "image/svg+xml";

export interface LogoFile {
  readonly path: string;
  readonly type: LogoType;
  readonly bytes: Buffer;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

// Before an SVG's root element may come a byte order mark, an XML declaration, comments and a doctype.
const SVG_PROLOG = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>]/i;

/** The image type the bytes are, or undefined for anything but PNG, JPEG, WebP and SVG. */
export function sniffImageType(bytes: Buffer): LogoType | undefined {
  if (bytes.subarray(0, PNG.length).equals(PNG)) return "image/png";
  if (bytes.subarray(0, JPEG.length).equals(JPEG)) return "image/jpeg";
  if (bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  // Only the start is looked at: a prolog longer than this is no logo an operator would write.
  if (SVG_PROLOG.test(bytes.toString("utf8", 0, 4096))) return "image/svg+xml";
  return undefined;
}

/** Reads and checks the logo; the error says what is wrong, for the config problem naming pages.logo. */
export function readLogo(path: string): LogoFile | { readonly error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: `cannot be read (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : (err as Error).message})` };
  }
  if (bytes.length > MAX_LOGO_BYTES) return { error: `is ${bytes.length} bytes; a logo may have at most ${MAX_LOGO_BYTES} bytes (512 KiB)` };
  const type = sniffImageType(bytes);
  if (type === undefined) return { error: "is not a PNG, JPEG, WebP or SVG image (recognised by its content, not its name)" };
  return { path, type, bytes };
}
