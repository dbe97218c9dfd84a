/* The one function of qrcode 1.5 that Porter and its demo use (its DefinitelyTyped types need the DOM library). */
declare module "qrcode" {
  interface SvgOptions {
    type: "svg";
    margin?: number;
    errorCorrectionLevel?: "L" | "M" | "Q" | "H";
  }
  /** Drawn with ANSI background colours. */
  interface TerminalOptions {
    type: "terminal";
    small?: boolean;
  }
  /** Drawn with block characters alone, dark modules as blocks. */
  interface Utf8Options {
    type: "utf8";
    margin?: number;
  }
  /** Text in one mode of its own, instead of the encoder's own split into modes. */
  interface Segment {
    data: string;
    mode: "byte";
  }
  const QRCode: { toString(text: string | Segment[], options: SvgOptions | TerminalOptions | Utf8Options): Promise<string> };
  export default QRCode;
}
