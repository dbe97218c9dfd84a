import { randomUUID } from "node:crypto";

import xml, { type Element } from "@xmpp/xml";

import type { Access } from "../../access/access.js";
import type { JidRequester } from "../../access/requester.js";
import type { Metrics } from "../../metrics/metrics.js";
import type { Disco } from "../disco.js";
import type { ErrorMapper } from "../error-map.js";
import { buildForm, buildTable, parseSubmission } from "../forms.js";
import { NS } from "../namespaces.js";
import type { IqRequest, IqRouter } from "../router.js";
import { badRequest, forbidden, itemNotFound, StanzaError } from "../stanza-error.js";
import type { Command, Completed, FormStep, Step } from "./command.js";
import { type OpenRefusal, type Session, type SessionLimits, SessionStore } from "./sessions.js";

// https://xmpp.org/extensions/xep-0050.html

const ACTIONS = new Set(["execute", "next", "prev", "complete", "cancel"]);
const SESSION_TTL_MS = 10 * 60_000;
const SESSION_REFUSALS: Readonly<Record<OpenRefusal, string>> = {
  resource: "you have too many commands in progress on this device; complete or cancel one first",
  account: "you have too many commands in progress; complete or cancel one first",
  total: "too many commands in progress; try again later",
};

const commandsError = (condition: "bad-action" | "bad-sessionid" | "malformed-action" | "bad-payload" | "session-expired") =>
  xml(condition, { xmlns: NS.commands });

export interface AdhocOptions {
  readonly commands: readonly Command[];
  /** Who may run which command, and who may use the sessions kept for admins. */
  readonly access: Access;
  /** Turns errors of the domain into stanza errors in the requester's language; undefined for unexpected ones. */
  readonly mapError: ErrorMapper;
  readonly metrics: Metrics;
  readonly jid: string;
  readonly sessionTtlMs?: number;
  readonly sessionLimits?: SessionLimits;
  /** Milliseconds since the epoch, for session expiry; tests move it instead of waiting. */
  readonly now?: () => number;
}

/** A submitted stage: the next step, or the same form again because a value was not accepted. */
type Submitted = { readonly next: Step } | { readonly problem: string };

/**
 * XEP-0050 for Porter: lists the commands a requester may run, runs them,
 * and keeps multi-stage sessions. Commands never see stanzas: they return
 * steps, which this adapter renders.
 */
export class Adhoc {
  private readonly commands = new Map<string, Command>();
  private readonly sessions: SessionStore;

  constructor(private readonly options: AdhocOptions) {
    for (const command of options.commands) this.commands.set(command.node, command);
    this.sessions = new SessionStore(options.sessionTtlMs ?? SESSION_TTL_MS, options.sessionLimits, options.now);
  }

  register(router: IqRouter, disco: Disco): void {
    disco.addFeature(NS.commands);
    disco.addFeature(NS.dataForms);
    disco.addNode(NS.commands, {
      info: () => ({ identities: [{ category: "automation", type: "command-list", name: "Commands" }], features: [NS.commands] }),
      items: (requester) =>
        this.runnable(requester)
          .filter((command) => command.alias !== true)
          .map((command) => ({ jid: this.options.jid, node: command.node, name: command.name })),
    });
    for (const command of this.commands.values()) {
      disco.addNode(command.node, {
        info: (requester) => {
          if (!this.options.access.allows(requester, command.access)) throw forbidden("This command is not available to you");
          return { identities: [{ category: "automation", type: "command-node", name: command.name }], features: [NS.commands, NS.dataForms] };
        },
      });
    }
    router.set(NS.commands, "command", (request) => this.handle(request));
  }

  private runnable(requester: JidRequester): Command[] {
    return [...this.commands.values()].filter((command) => this.options.access.allows(requester, command.access));
  }

  private async handle(request: IqRequest): Promise<Element> {
    const { payload, from } = request;
    const node = payload.attrs.node as string | undefined;
    const command = node === undefined ? undefined : this.commands.get(node);
    if (command === undefined) throw itemNotFound("no such command");
    const action = (payload.attrs.action as string | undefined) ?? "execute";
    try {
      const { access } = this.options;
      if (!access.allows(from, command.access))
        throw forbidden(access.isLocal(from) ? "This command is not available to you" : "This command is only available to local users");
      if (!ACTIONS.has(action)) throw badRequest("unknown action", commandsError("malformed-action"));
      const sessionId = payload.attrs.sessionid as string | undefined;
      const reply =
        sessionId === undefined
          ? await this.begin(command, from, action, payload, request.lang)
          : await this.resume(command, from, sessionId, action, payload, request.lang);
      this.options.metrics.countCommand(command.node, reply.attrs.status as string);
      if (reply.attrs.status === "completed") request.log.info({ node: command.node, requester: from.bare }, "command completed");
      return reply;
    } catch (err) {
      this.options.metrics.countCommand(command.node, "error");
      if (err instanceof StanzaError) throw err;
      const mapped = this.options.mapError(err, request.lang);
      if (mapped !== undefined) throw mapped;
      throw err;
    }
  }

  private async begin(command: Command, requester: JidRequester, action: string, payload: Element, lang: string | undefined): Promise<Element> {
    if (action !== "execute") throw badRequest("start the command with 'execute'", commandsError("bad-sessionid"));
    const first = await command.start(requester);
    if (first.kind === "completed") return this.render(command.node, newSessionId(), first);
    // A one-shot execute that already carries the filled form, as XEP-0133 clients and scripts send.
    const submitted = payload.getChild("x", NS.dataForms);
    let stage: FormStep = first;
    let problem: string | undefined;
    if (submitted !== undefined) {
      const outcome = await this.submit(first, submitted, lang);
      if ("problem" in outcome) problem = outcome.problem;
      else if (outcome.next.kind === "completed") return this.render(command.node, newSessionId(), outcome.next);
      else stage = outcome.next;
    }
    const session = this.sessions.open(command.node, { full: requester.full, bare: requester.bare, isAdmin: this.options.access.isAdmin(requester) }, stage);
    if (typeof session === "string") throw new StanzaError("resource-constraint", "wait", SESSION_REFUSALS[session]);
    return this.renderStage(session, problem);
  }

  /**
   * A value the form or the domain does not accept (a bad-request to be
   * fixed by the person, e.g. ttl=forever) returns the same form with a note
   * naming the field, instead of ending the command.
   */
  private async submit(stage: FormStep, submitted: Element, lang: string | undefined): Promise<Submitted> {
    try {
      return { next: await stage.submit(parseSubmission(submitted, stage.form)) };
    } catch (err) {
      const refusal = err instanceof StanzaError ? err : this.options.mapError(err, lang);
      if (refusal?.condition === "bad-request" && refusal.type === "modify" && refusal.appCondition === undefined && refusal.text !== undefined) {
        return { problem: refusal.text };
      }
      throw err;
    }
  }

  private async resume(command: Command, from: JidRequester, sessionId: string, action: string, payload: Element, lang: string | undefined): Promise<Element> {
    const lookup = this.sessions.lookup(sessionId);
    if ("missing" in lookup) {
      if (lookup.missing === "expired")
        throw new StanzaError("not-allowed", "cancel", "the session expired; start the command again", commandsError("session-expired"));
      throw badRequest("unknown session", commandsError("bad-sessionid"));
    }
    const session = lookup.found;
    if (session.owner !== from.full || session.node !== command.node) throw badRequest("unknown session", commandsError("bad-sessionid"));

    if (action === "cancel") {
      this.sessions.close(session.id);
      return xml("command", { xmlns: NS.commands, node: command.node, sessionid: session.id, status: "canceled" });
    }
    if (action === "prev") {
      if (session.stages.length < 2) throw badRequest("there is no previous stage", commandsError("bad-action"));
      session.stages.pop();
      this.sessions.touch(session);
      return this.renderStage(session);
    }
    const stage = session.stages.at(-1);
    if (stage === undefined) throw badRequest("unknown session", commandsError("bad-sessionid"));
    const submitted = payload.getChild("x", NS.dataForms);
    if (submitted === undefined) throw badRequest("this stage needs the submitted form", commandsError("bad-payload"));
    const outcome = await this.submit(stage, submitted, lang);
    if ("problem" in outcome) {
      this.sessions.touch(session);
      return this.renderStage(session, outcome.problem);
    }
    const next = outcome.next;
    if (next.kind === "completed") {
      this.sessions.close(session.id);
      return this.render(command.node, session.id, next);
    }
    session.stages.push(next);
    this.sessions.touch(session);
    return this.renderStage(session);
  }

  private renderStage(session: Session, problem?: string): Element {
    const stage = session.stages.at(-1);
    if (stage === undefined) throw new Error("a session without stages");
    const actions = xml("actions", { execute: "complete" }, ...(session.stages.length > 1 ? [xml("prev")] : []), xml("complete"));
    // As the domain or the form wrote it: it may start with a field's name, which must stay as it is.
    const note = problem === undefined ? [] : [xml("note", { type: "error" }, problem)];
    return xml(
      "command",
      { xmlns: NS.commands, node: session.node, sessionid: session.id, status: "executing" },
      actions,
      ...note,
      buildForm(stage.form, "form"),
    );
  }

  private render(node: string, sessionId: string, done: Completed): Element {
    const children: Element[] = [];
    for (const note of done.notes ?? []) children.push(xml("note", { type: note.type }, note.text));
    if (done.result !== undefined) children.push(buildForm(done.result, "result"));
    if (done.table !== undefined) children.push(buildTable(done.table));
    return xml("command", { xmlns: NS.commands, node, sessionid: sessionId, status: "completed" }, ...children);
  }
}

/** Unguessable: a session is found by its id and requester. A UUID draws from Node's cached entropy, unlike a call into the CSPRNG per command. */
function newSessionId(): string {
  return randomUUID();
}
