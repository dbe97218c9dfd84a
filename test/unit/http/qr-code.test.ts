import assert from "node:assert/strict";
import { describe, it } from "node:test";

import QRCode from "qrcode";

import { qrSvg } from "../../../src/http/pages/qr-code.js";

const OPTIONS = { type: "svg", margin: 1, errorCorrectionLevel: "M" } as const;
const LINKS = [
  "https://invite.example.com/invite/AbCdEfGhIjKlMnOpQrStUv",
  "http://127.0.0.1:5380/invite/Q2x8Zz-_abcdefghijkLMNOP",
  "xmpp:alice@example.com?roster;preauth=Q2x8Zz-_abcdefghijkLMNOP;ibr=y",
];

describe("invite QR codes", () => {
  it("draws a link at the size the encoder's own choice of modes gives", async () => {
    const size = (svg: string) => /^<svg [^>]*viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1];
    for (const link of LINKS) {
      const svg = await qrSvg(link);
      assert.notEqual(size(svg), undefined, svg);
      assert.equal(size(svg), size(await QRCode.toString(link, OPTIONS)), link);
    }
    // A link on a host name is all bytes to the encoder too: the very same code.
    assert.equal(await qrSvg(LINKS[0] ?? ""), await QRCode.toString(LINKS[0] ?? "", OPTIONS));
  });

  it("draws the same code again once others have pushed it out", async () => {
    const first = await qrSvg(LINKS[0] ?? "");
    for (let n = 0; n < 100; n++) await qrSvg(`https://invite.example.com/invite/token${n}`);
    assert.equal(await qrSvg(LINKS[0] ?? ""), first);
    assert.notEqual(await qrSvg(LINKS[1] ?? ""), first);
  });
});
