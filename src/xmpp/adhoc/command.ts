import type { AccessLevel } from "../../access/access.js";
import type { JidRequester } from "../../access/requester.js";
import type { FormSpec, FormValues, TableSpec } from "../forms.js";

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
 * it (which also filters the command list), and its first step. The command
 * declares the access it needs and the ad-hoc layer asks Access, so that no
 * command carries its own copy of the rules.
 */
export interface Command {
  readonly node: string;
  readonly name: string;
  /** Runs, but is left out of command lists: another name for a listed command. */
  readonly alias?: boolean;
  readonly access: AccessLevel;
  start(requester: JidRequester): Step | Promise<Step>;
}
