import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { watchConsole } from './helpers';

/** The `route?jeton=…` link in the newest mail sent to `email` (the server writes .eml files). */
function mailedLink(email: string, route: string): string {
  const folder = process.env.DESSINE_E2E_MAIL;
  if (!folder) throw new Error('DESSINE_E2E_MAIL is not set (run `make test`)');
  const mails = fs.readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => fs.readFileSync(path.join(folder, name), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))))
    .filter((text) => text.includes(`To: ${email}`));
  const match = mails.reverse()
    .map((text) => text.match(new RegExp(`https?://[^\\s"<]+${route}\\?jeton=[A-Za-z0-9_-]+`)))
    .find((m) => m);
  if (!match) throw new Error(`no ${route} link mailed to ${email}`);
  return new URL(match[0]).pathname + new URL(match[0]).search;
}

// A newcomer reads the pages the law asks for from the footer, then writes to a structure
// without seeing its address.
test('the footer leads to the legal pages, and a visitor writes to a structure', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page);
  await page.goto('/annuaire/les-courses-asteur');
  const footer = page.getByRole('navigation', { name: 'Pied de page' });
  await footer.getByRole('link', { name: 'Données personnelles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Données personnelles' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Inscriptions aux événements' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Pied de page' }).getByRole('link', { name: 'Accessibilité : partiellement conforme' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Déclaration d'accessibilité" })).toBeVisible();
  await page.getByRole('navigation', { name: 'Pied de page' }).getByRole('link', { name: 'Plan du site' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plan du site' })).toBeVisible();

  await page.goto('/annuaire/les-courses-asteur');
  await expect(page.getByRole('heading', { level: 2, name: 'Écrire à cette structure' })).toBeVisible();
  await page.getByLabel('Votre nom').fill('Camille Lecteur');
  await page.getByLabel('Votre adresse e-mail').fill(`camille-${javaScriptEnabled ? 'js' : 'sans-js'}@exemple.fr`);
  await page.getByLabel('Votre message').fill('Bonjour, livrez-vous à Coudekerque-Branche le samedi ?');
  // A person takes a few seconds to write: the form refuses what comes back at once.
  await page.waitForTimeout(3200);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.getByText('Votre message est transmis à la structure').first()).toBeVisible();
  noErrors();
});

// Subscribing to the letter: nothing is sent before the mailed link confirms.
test('a visitor subscribes to the letter and confirms by the mailed link', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page);
  const email = `lettre-${javaScriptEnabled ? 'js' : 'sans-js'}-${Date.now()}@exemple.fr`;
  await page.goto('/lettre');
  await expect(page.getByRole('heading', { level: 1, name: "Lettre d'information" })).toBeVisible();
  await page.getByLabel('Votre adresse e-mail').fill(email);
  await page.getByLabel('Fréquence').selectOption({ label: 'Une lettre par mois' });
  await page.getByRole('button', { name: "Je m'abonne" }).click();
  await expect(page.getByText('ouvrez son lien pour confirmer').first()).toBeVisible();
  await page.goto(mailedLink(email, '/lettre/confirmer'));
  await expect(page.getByText(email)).toBeVisible();
  await page.getByRole('button', { name: 'Confirmer mon abonnement' }).click();
  await expect(page.getByText('Votre abonnement est confirmé').first()).toBeVisible();
  noErrors();
});
