/*
 * The floor of the registration benchmark: a bare fastify POST route that
 * parses the JSON body and answers 201 with a body of a registration's size,
 * with no validation, no signing and no logging.
 * Usage: node floor-http.js PORT
 */
import Fastify from "fastify";

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) throw new Error("usage: floor-http.js PORT");
const app = Fastify();
app.post("/oauth2/register", (request, reply) => {
  const body = request.body as Record<string, unknown>;
  return reply.code(201).send({ ...body, client_id: "x".repeat(300), client_secret: "x".repeat(64), client_id_issued_at: 0, client_secret_expires_at: 0 });
});
await app.listen({ port, host: "127.0.0.1" });
console.log("listening");
