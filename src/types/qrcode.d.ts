/* The one function of qrcode 1.5 Porter uses (its DefinitelyTyped types need the DOM library). */
declare module "qrcode" {
  interface SvgOptions {
    type: "svg";
    margin?: number;
    errorCorrectionLevel?: "L" | "M" | "Q" | "H";
  }
  const QRCode: { toString(text: string, options: SvgOptions): Promise<string> };
  export default QRCode;
}
