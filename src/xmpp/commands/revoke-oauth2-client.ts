import type { ClientRegistry } from "../../oauth2/client-registry.js";
import type { Command } from "../adhoc/command.js";
import type { FormSpec } from "../forms.js";

const FORM: FormSpec = {
  title: "Revoke OAuth2 client",
  instructions: "The client's credentials stop working at once; other clients are not affected.",
  fields: [{ var: "client_id", type: "text-single", label: "Client ID", required: true, maxLength: 16 * 1024 }],
};

/** "Revoke OAuth2 client": admins; puts one client_id on the denylist. */
export function revokeOAuth2ClientCommand(registry: ClientRegistry): Command {
  return {
    node: "urn:xmpp:porter:oauth2#revoke",
    name: "Revoke OAuth2 client",
    access: "admin",
    start: (requester) => ({
      kind: "form",
      form: FORM,
      submit: async (values) => {
        const revocation = await registry.revoke(values.text("client_id") ?? "", requester.bare);
        const text = revocation.outcome === "revoked" ? `The client "${revocation.clientName}" is revoked.` : "This client was revoked already.";
        return { kind: "completed", notes: [{ type: "info", text }] };
      },
    }),
  };
}
