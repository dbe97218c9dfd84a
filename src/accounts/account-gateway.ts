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
       * unavailable: the server did not answer (down, restarting, stream not up);
       * refused: the server said no for another reason, given in `detail`.
       */
      readonly reason: "taken" | "missing" | "not-permitted" | "unavailable" | "refused";
      readonly detail?: string;
    };

export interface AccountGateway {
  /** Creates username@host with the password. */
  createAccount(username: string, password: string): Promise<AccountOutcome>;
  /** Sets a new password for an existing username@host. */
  changePassword(username: string, password: string): Promise<AccountOutcome>;
}
