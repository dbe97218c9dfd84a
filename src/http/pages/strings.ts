/**
 * Every sentence the web pages show, in one place so that a translation is one
 * new table of the same shape.
 */
export const STRINGS = {
  lang: "en",
  productName: "Porter",
  notFoundTitle: "Page not found",
  notFoundText: "There is nothing at this address. If you followed an invite link, check that it was copied completely.",
  badRequestTitle: "Request not understood",
  badRequestText: "The request could not be read. Go back and try again.",
  tooLargeTitle: "Request too large",
  tooLargeText: "What was sent is larger than this service accepts.",
  serverErrorTitle: "Something went wrong",
  serverErrorText: "The service could not complete the request. Please try again in a moment.",
  unavailableTitle: "Temporarily unavailable",
  unavailableText: "The service is starting or shutting down. Please try again in a moment.",
} as const;

export type Strings = typeof STRINGS;
