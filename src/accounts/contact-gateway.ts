/** Making two accounts of the served host mutual contacts, through the server. */
export interface ContactGateway {
  /** True when both rosters now list the other with a mutual subscription. */
  pair(first: string, second: string): Promise<boolean>;
}
