/** What the Boards view's end-to-end tests do on a board's card: connect, and confirm the fingerprint a first connection shows. */
import type { Page } from 'playwright-core';

/** Connect from the card: the password dialog, then the fingerprint dialog; returns the fingerprint shown. */
export async function connectFromCard(page: Page, name: string, password: string): Promise<string> {
  const card = page.getByRole('region', { name });
  await card.getByRole('button', { name: `Connect to ${name}` }).click();
  const passwordDialog = page.getByRole('dialog', { name: /^Password for / });
  await passwordDialog.getByLabel('Password').fill(password);
  await passwordDialog.getByRole('button', { name: 'Log in' }).click();
  return trustShownKey(page, name);
}

/** The first connection's question: reads the fingerprint shown, trusts it, and waits for the card `name` to say Connected. */
export async function trustShownKey(page: Page, name: string): Promise<string> {
  const keyDialog = page.getByRole('dialog', { name: 'Is this board the one you expect?' });
  const shown = (await keyDialog.locator('.fingerprint').innerText()).trim();
  await keyDialog.getByRole('button', { name: 'Trust and connect' }).click();
  await page.getByRole('region', { name }).getByText('Connected', { exact: true }).waitFor();
  return shown;
}
