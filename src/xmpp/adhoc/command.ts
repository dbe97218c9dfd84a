import type { FormSpec, FormValues, TableSpec } from "../forms.js";
import type { Requester } from "../router.js";

/** Who runs a command, with what the access rules need to know. */
export interface CommandRequester {
  readonly jid: Requester;
  /** A user of the served host. */
  readonly isLocal: boolean;
  readonly isAdmin: boolean;
}

export interface Note {
  readonly type: "info" | "warn" | "error";
  readonly text: string;
}

/** A stage that asks for a form; its submission leads to the next step. */
export interface FormStep {
  readonly kind: "form";
  readonly form: FormSpec;
  submit(values: FormValues): Step | Promise<Step>;
}

/** The end of a command: a result form, a table, notes, or several of them. */
export interface Completed {
  readonly kind: "completed";
  readonly result?: FormSpec;
  readonly table?: TableSpec;
  readonly notes?: readonly Note[];
}

export type Step = FormStep | Completed;

/**
 * An ad-hoc command (XEP-0050), declared once: its node and name, who may run
 * it (which also filters the command list), and its first step.
 */
export interface Command {
  readonly node: string;
  readonly name: string;
  /** Runs, but is left out of command lists: another name for a listed command. */
  readonly alias?: boolean;
  mayRun(requester: CommandRequester): boolean;
  start(requester: CommandRequester): Step | Promise<Step>;
}
