import type { Page } from "playwright-core";

/**
 * Fills Porter's sign-up form as a person would (a fixed username is left as
 * it is), submits it, and returns the status of the page that answers.
 */
export async function submitSignup(page: Page, username: string, password: string, confirm = password): Promise<number> {
  if (await page.locator("#username").isEditable()) await page.fill("#username", username);
  await page.fill("#password", password);
  await page.fill("#password_confirm", confirm);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.request().resourceType() === "document"),
    page.click("button[type=submit]"),
  ]);
  await page.waitForLoadState();
  return response.status();
}
