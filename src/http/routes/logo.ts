import type { FastifyInstance } from "fastify";

import type { LogoFile } from "../../config/logo.js";
import { logoUrl } from "../pages/brand.js";

/** The address names the content (a hash), so browsers may keep it for good. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** An SVG opened on its own is a document: it may style itself, and run or load nothing. */
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** Serves the operator's logo, read once at start, at the address the pages use. */
export function registerLogoRoute(app: FastifyInstance, logo: LogoFile): void {
  app.get(logoUrl(logo), async (_request, reply) => {
    void reply.type(logo.type).header("Cache-Control", IMMUTABLE);
    if (logo.type === "image/svg+xml") void reply.header("Content-Security-Policy", SVG_CSP);
    return reply.send(logo.bytes);
  });
}
