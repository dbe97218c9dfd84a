import xml, { type Element } from "@xmpp/xml";

import { parseBareJid } from "../address/jid.js";
import { NS } from "./namespaces.js";
import { badRequest, StanzaError } from "./stanza-error.js";

// https://xmpp.org/extensions/xep-0004.html

export type FieldType = "boolean" | "fixed" | "hidden" | "jid-single" | "list-single" | "text-multi" | "text-private" | "text-single";

export interface FieldOption {
  readonly label: string;
  readonly value: string;
}

export interface FieldSpec {
  readonly var: string;
  readonly type: FieldType;
  readonly label?: string;
  readonly desc?: string;
  readonly required?: boolean;
  /** Default (form) or content (result) values. */
  readonly values?: readonly string[];
  readonly options?: readonly FieldOption[];
  /** Longest accepted value, in characters; 1024 unless said otherwise. */
  readonly maxLength?: number;
  /** Other names a submission may use for this field (another server's name for it); never sent. */
  readonly aliases?: readonly string[];
}

export interface FormSpec {
  readonly title?: string;
  readonly instructions?: string;
  /** Sent as the hidden FORM_TYPE field, and required back on submission when set. */
  readonly formType?: string;
  readonly fields: readonly FieldSpec[];
}

/** A multi-item result: one <reported> header and an <item> per row. */
export interface TableSpec {
  readonly title?: string;
  readonly formType?: string;
  readonly columns: readonly { readonly var: string; readonly label: string }[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

const DEFAULT_MAX_LENGTH = 1024;
const MAX_FIELDS = 64;

export function buildForm(spec: FormSpec, type: "form" | "result"): Element {
  const children: Element[] = [];
  if (spec.title !== undefined) children.push(xml("title", {}, spec.title));
  if (spec.instructions !== undefined) children.push(xml("instructions", {}, spec.instructions));
  if (spec.formType !== undefined) children.push(hiddenFormType(spec.formType));
  for (const field of spec.fields) {
    const parts: Element[] = [];
    if (field.desc !== undefined) parts.push(xml("desc", {}, field.desc));
    if (field.required === true && type === "form") parts.push(xml("required"));
    for (const value of field.values ?? []) parts.push(xml("value", {}, value));
    if (type === "form") {
      for (const option of field.options ?? []) parts.push(xml("option", { label: option.label }, xml("value", {}, option.value)));
    }
    children.push(xml("field", { var: field.var, type: field.type, label: field.label }, ...parts));
  }
  return xml("x", { xmlns: NS.dataForms, type }, ...children);
}

export function buildTable(spec: TableSpec): Element {
  const children: Element[] = [];
  if (spec.title !== undefined) children.push(xml("title", {}, spec.title));
  if (spec.formType !== undefined) children.push(hiddenFormType(spec.formType));
  children.push(xml("reported", {}, ...spec.columns.map((column) => xml("field", { var: column.var, label: column.label, type: "text-single" }))));
  for (const row of spec.rows) {
    children.push(xml("item", {}, ...spec.columns.map((column) => xml("field", { var: column.var }, xml("value", {}, row[column.var] ?? "")))));
  }
  return xml("x", { xmlns: NS.dataForms, type: "result" }, ...children);
}

function hiddenFormType(formType: string): Element {
  return xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, formType));
}

/** A submitted value that its field does not accept; the text names the field. */
export class FieldProblem extends StanzaError {
  override name = "FieldProblem";

  constructor(
    readonly field: string,
    text: string,
  ) {
    super("bad-request", "modify", text);
  }
}

/** Validated values of a submitted form, read by field name. */
export class FormValues {
  constructor(private readonly values: ReadonlyMap<string, readonly string[]>) {}

  /** The single value, or undefined when the field was left empty. */
  text(name: string): string | undefined {
    const value = this.values.get(name)?.[0];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  }

  /** The single value exactly as sent (passwords keep their spaces). */
  raw(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every non-empty line of a text-multi field, whether sent as several values or one value with line breaks. */
  lines(name: string): string[] {
    return (this.values.get(name) ?? [])
      .flatMap((value) => value.split(/\r?\n/))
      .map((line) => line.trim())
      .filter((line) => line !== "");
  }

  bool(name: string): boolean | undefined {
    const value = this.text(name);
    return value === undefined ? undefined : value === "1" || value === "true";
  }
}

/**
 * Reads a submitted <x type="submit"/> against the form that was sent: the
 * FORM_TYPE must match, required fields must be filled, booleans, JIDs and
 * list choices must be valid, single-value fields must have one value.
 * Unknown fields are ignored (XEP-0004 §3.2). Any problem is a bad-request
 * whose text names the field, for the person filling the form.
 */
export function parseSubmission(x: Element | undefined, spec: FormSpec): FormValues {
  if (x?.attrs.type !== "submit") throw badRequest("expected a submitted data form (jabber:x:data, type 'submit')");
  const submitted = new Map<string, string[]>();
  const fields = x.getChildren("field");
  if (fields.length > MAX_FIELDS) throw badRequest("the form has too many fields");
  const canonical = new Map(spec.fields.flatMap((field) => (field.aliases ?? []).map((alias) => [alias, field.var] as const)));
  for (const field of fields) {
    const sent = field.attrs.var as string | undefined;
    if (sent === undefined) continue;
    const name = canonical.get(sent) ?? sent;
    if (submitted.has(name)) throw badRequest(`field '${name}' appears more than once`);
    submitted.set(
      name,
      field.getChildren("value").map((value) => value.text()),
    );
  }
  if (spec.formType !== undefined) {
    const formType = submitted.get("FORM_TYPE");
    if (formType !== undefined && formType[0] !== spec.formType) throw badRequest(`FORM_TYPE must be ${spec.formType}`);
  }
  for (const field of spec.fields) checkField(field, submitted.get(field.var) ?? []);
  return new FormValues(submitted);
}

function checkField(field: FieldSpec, values: readonly string[]): void {
  const label = field.label ?? field.var;
  const filled = values.filter((value) => value.trim() !== "");
  if (field.required === true && filled.length === 0) throw new FieldProblem(field.var, `field '${field.var}' (${label}) is required`);
  if (field.type !== "text-multi" && values.length > 1) throw new FieldProblem(field.var, `field '${field.var}' takes a single value`);
  const maxLength = field.maxLength ?? DEFAULT_MAX_LENGTH;
  if (values.some((value) => value.length > maxLength)) throw new FieldProblem(field.var, `field '${field.var}' is longer than ${maxLength} characters`);
  const value = filled[0]?.trim();
  if (value === undefined) return;
  switch (field.type) {
    case "boolean":
      if (!["0", "1", "true", "false"].includes(value)) throw new FieldProblem(field.var, `field '${field.var}' must be true or false`);
      break;
    case "jid-single":
      if (parseBareJid(value) === undefined) throw new FieldProblem(field.var, `field '${field.var}' must be an address such as user@example.com`);
      break;
    case "list-single":
      if (!(field.options ?? []).some((option) => option.value === value)) throw new FieldProblem(field.var, `field '${field.var}' has no option '${value}'`);
      break;
    case "fixed":
    case "hidden":
    case "text-multi":
    case "text-private":
    case "text-single":
      break;
  }
}
