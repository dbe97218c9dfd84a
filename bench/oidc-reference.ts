/*
 * The reference for the registration benchmark: node-oidc-provider with only
 * dynamic registration enabled and its default in-memory adapter, in a process
 * of its own as Porter is. Usage: node oidc-reference.js PORT
 */
import Provider from "oidc-provider";

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) throw new Error("usage: oidc-reference.js PORT");
const provider = new Provider(`http://127.0.0.1:${port}`, {
  features: { registration: { enabled: true }, devInteractions: { enabled: false } },
});
provider.listen(port, "127.0.0.1").on("listening", () => {
  console.log("listening");
});
