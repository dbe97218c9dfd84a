/**
 * An invite page's QR code, as inline SVG.
 *
 * The encoder is loaded by the first invite page rather than at start: it is
 * a tenth of an idle Porter's memory, and a Porter whose invites are redeemed
 * in apps may never draw one.
 */

/**
 * Drawing a code is the costliest part of an invite page, and a group invite
 * posted to a chat is opened by many people: the last few codes are kept.
 */
const KEPT = 64;
const drawn = new Map<string, string>();

export async function qrSvg(text: string): Promise<string> {
  const kept = drawn.get(text);
  if (kept !== undefined) {
    // Map keeps insertion order: re-inserting makes this the most recently used.
    drawn.delete(text);
    drawn.set(text, kept);
    return kept;
  }
  const { default: QRCode } = await import("qrcode");
  // One byte-mode segment: the encoder's search for a cheaper mix of modes
  // costs more than the drawing, and for a link it finds a smaller code only
  // in rare all-capitals addresses (1 in 1,800 tried).
  const svg = await QRCode.toString([{ data: text, mode: "byte" }], { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  drawn.set(text, svg);
  if (drawn.size > KEPT) drawn.delete(drawn.keys().next().value as string);
  return svg;
}
