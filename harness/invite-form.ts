const CSRF = /name="csrf" value="([^"]+)"/;
/** A browser's Accept header: Porter's generic error answers are pages only for it, JSON otherwise. */
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

export interface FormAnswer {
  readonly status: number;
  readonly page: string;
}

/**
 * Opens an invite link and submits its form as a browser does: the page's
 * anti-forgery token, the Origin and Accept headers, the password twice. Returns the
 * answer to the POST, or the page itself when it offers no form.
 */
export async function submitInviteForm(link: string, username: string, password: string): Promise<FormAnswer> {
  const opened = await fetch(link, { headers: { accept: BROWSER_ACCEPT } });
  const text = await opened.text();
  const csrf = CSRF.exec(text)?.[1];
  if (opened.status !== 200 || csrf === undefined) return { status: opened.status, page: text };
  const form = new URLSearchParams({ username, password, password_confirm: password, csrf });
  const done = await fetch(link, { method: "POST", body: form, headers: { accept: BROWSER_ACCEPT, origin: new URL(link).origin } });
  return { status: done.status, page: await done.text() };
}
