/**
 * What Porter needs from the XMPP server to manage accounts. The server is
 * the only authority on accounts: Porter never touches its database, it asks
 * over its own component stream (XEP-0133 admin commands).
 */
export type AccountOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /**
       * taken: the username exists already;
       * missing: the account to change does not exist;
       * not-permitted: the server does not let Porter run admin commands (the grant is missing);
       * unavailable: the request was not sent (stream not up): nothing changed;
       * uncertain: the request was sent but no answer came (timeout, stream lost):
       *   the server may or may not have done it;
       * refused: the server said no for another reason, given in `detail`.
       */
      readonly reason: "taken" | "missing" | "not-permitted" | "unavailable" | "uncertain" | "refused";
      readonly detail?: string;
    };

export interface AccountGateway {
  /** Creates username@host with the password. */
  createAccount(username: string, password: string): Promise<AccountOutcome>;
  /** Sets a new password for an existing username@host. */
  changePassword(username: string, password: string): Promise<AccountOutcome>;
  /**
   * Whether username@host exists, for settling a redemption whose outcome was
   * never seen; undefined when the server cannot tell now. Never reads or
   * changes the password of an existing account.
   */
  accountExists(username: string): Promise<boolean | undefined>;
}
