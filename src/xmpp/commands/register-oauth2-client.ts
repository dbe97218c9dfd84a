import type { ClientRegistry } from "../../oauth2/client-registry.js";
import type { Command } from "../adhoc/command.js";
import type { FormSpec } from "../forms.js";
import { xmppDateTime } from "./invitation-result.js";

const FORM: FormSpec = {
  title: "Register OAuth2 client",
  instructions: "The client is registered as through the registration endpoint, under the same rules.",
  fields: [
    { var: "client_name", type: "text-single", label: "Client name", desc: "Shown to users when the client asks for access", required: true, maxLength: 200 },
    { var: "client_uri", type: "text-single", label: "Client home page", desc: "An https URI", required: true, maxLength: 512 },
    {
      var: "redirect_uri",
      type: "text-multi",
      label: "Redirect URIs",
      desc: "One per line: https on the home page's host, or for an app http://127.0.0.1/... or a scheme such as com.example.app:/callback",
      required: true,
      maxLength: 512,
    },
  ],
};

/**
 * "Register OAuth2 client": admins; node and fields of Prosody's
 * mod_adhoc_oauth2_client, answering with the client_id and client_secret.
 */
export function registerOAuth2ClientCommand(registry: ClientRegistry): Command {
  return {
    node: "urn:uuid:ff0d55ed-2187-4ee0-820a-ab633a911c14#create",
    name: "Register OAuth2 client",
    access: "admin",
    start: () => ({
      kind: "form",
      form: FORM,
      submit: (values) => {
        const client = registry.register({
          client_name: values.text("client_name"),
          client_uri: values.text("client_uri"),
          redirect_uris: values.lines("redirect_uri"),
        });
        const expiry = client.secretExpiresAt === 0 ? "never" : xmppDateTime(client.secretExpiresAt);
        return {
          kind: "completed",
          result: {
            title: "OAuth2 client registered",
            fields: [
              { var: "client_id", type: "text-single", label: "Client ID", values: [client.clientId] },
              {
                var: "client_secret",
                type: "text-single",
                label: "Client secret",
                desc: "Keep it secret: it is not shown again",
                values: [client.clientSecret],
              },
              { var: "client_secret_expires_at", type: "text-single", label: "Valid until", values: [expiry] },
            ],
          },
        };
      },
    }),
  };
}
