import { test, expect, Page, Browser } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { waitForIslands, watchConsole } from './helpers';

/** The newest `route?param=…` link mailed to `email`, as a local path. */
function mailLink(email: string, route: string, param: string): string {
  const folder = process.env.DESSINE_E2E_MAIL;
  if (!folder) throw new Error('DESSINE_E2E_MAIL is not set (run `make test`)');
  const match = fs.readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .reverse()
    .map((name) => fs.readFileSync(path.join(folder, name), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))))
    .filter((text) => text.includes(`To: ${email}`))
    .map((text) => text.match(new RegExp(`https?://[^\\s"<]+${route}\\?${param}=[A-Za-z0-9_-]+`)))
    .find((m) => m);
  if (!match) throw new Error(`no ${route} link mailed to ${email}`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

async function loggedIn(browser: Browser, email: string, password: string, next: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(next);
  return page;
}

test('a visitor proposes a structure, confirms the address; a moderator keeps all but one field; search finds it', async ({ page, browser, javaScriptEnabled: js }) => {
  const noErrors = watchConsole(page, /status of 422/);
  const tag = `${js ? 'js' : 'nojs'}${Date.now()}`;
  const name = `Atelier vélo partagé ${tag}`;
  const email = `porteuse.${tag}@exemple.fr`;

  await page.goto('/annuaire');
  await page.getByRole('link', { name: 'Référencer ma structure' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Référencer ma structure');
  if (js) await waitForIslands(page);
  // A bad SIRET first: the message sits by its field, the rest is kept.
  await page.getByLabel('Nom de la structure').fill(name);
  await page.getByLabel('Forme juridique').selectOption('association');
  // The two runs (JavaScript on and off) in two communes: in one, the second would rightly be
  // shown as a likely duplicate of the first.
  await page.getByLabel('Commune').selectOption({ label: js ? 'Ghyvelde' : 'Zuydcoote' });
  await page.getByLabel('Mobilité').check();
  await page.getByLabel('Site web').fill('https://velo-partage.example');
  await page.getByLabel('SIRET').fill('1234');
  await page.getByLabel('Votre nom').fill('Awa Diallo');
  await page.getByLabel('Votre e-mail').fill(email);
  await page.getByRole('button', { name: 'Envoyer à la modération' }).click();
  await expect(page.getByText('Le SIRET compte 14 chiffres')).toBeVisible();
  await expect(page.getByLabel('Nom de la structure')).toHaveValue(name);
  await page.getByLabel('SIRET').fill('');
  await page.getByRole('button', { name: 'Envoyer à la modération' }).click();
  await expect(page.getByText('Presque fini').first()).toBeVisible();

  await page.goto(mailLink(email, '/annuaire/proposition/confirmer', 'jeton'));
  await page.getByRole('button', { name: 'Confirmer ma proposition' }).click();
  await expect(page.getByText('Votre adresse est confirmée').first()).toBeVisible();

  const admin = await loggedIn(browser, 'admin@dessine.example', 'demo-admin-dessine', '/moderation');
  await admin.getByRole('link', { name: `Nouvelle structure : ${name}` }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toContainText(name);
  if (js) await waitForIslands(admin);
  await admin.getByLabel('Retenir : Site web').uncheck();
  await admin.getByRole('button', { name: 'Accepter les champs cochés' }).click();
  await expect(admin.getByText('La proposition a été acceptée.').first()).toBeVisible();

  await page.goto(`/annuaire?q=${encodeURIComponent(name)}`);
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByText('Informations vérifiées le')).toBeVisible();
  await expect(page.getByText('velo-partage.example')).toHaveCount(0);
  noErrors();
});

test('a correction waits for moderation; the manager sees it in the history', async ({ page, browser, javaScriptEnabled: js }) => {
  const tag = `${js ? 'js' : 'nojs'}${Date.now()}`;
  const phone = js ? '03 28 40 50 61' : '03 28 40 50 62';
  await page.goto('/annuaire/les-courses-asteur');
  await page.getByRole('link', { name: 'Proposer une correction' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Proposer une correction');
  await page.getByLabel('Téléphone').fill(phone);
  await page.getByLabel('Votre nom').fill(`Lecteur ${tag}`);
  await page.getByLabel('Votre e-mail').fill(`lecteur.${tag}@exemple.fr`);
  await page.getByRole('button', { name: 'Envoyer à la modération' }).click();
  await expect(page.getByText('Presque fini').first()).toBeVisible();
  await page.goto(mailLink(`lecteur.${tag}@exemple.fr`, '/annuaire/proposition/confirmer', 'jeton'));
  await page.getByRole('button', { name: 'Confirmer ma proposition' }).click();
  await expect(page.getByText('votre proposition de correction a été transmise').first()).toBeVisible();

  const manager = await loggedIn(browser, 'gerance@courses-asteur.example', 'demo-gerance-asteur', '/annuaire/les-courses-asteur');
  await manager.getByRole('link', { name: 'Historique et corrections proposées' }).click();
  await expect(manager.getByText(phone)).toBeVisible();
  // Nothing is applied before a moderator decides.
  await manager.goto('/annuaire/les-courses-asteur');
  await expect(manager.getByText(phone)).toHaveCount(0);
});

test('a site admin imports two entries, merges them, and takes the kept one out of the directory', async ({ browser, javaScriptEnabled: js }) => {
  const tag = `${js ? 'js' : 'nojs'}${Date.now()}`;
  const admin = await loggedIn(browser, 'admin@dessine.example', 'demo-admin-dessine', '/moderation');
  const noErrors = watchConsole(admin);
  await admin.getByRole('link', { name: 'Importer des structures' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Importer des structures');
  // Two communes: in one, the second line would rightly be a likely duplicate of the first.
  const csv = `nom;forme_juridique;commune;secteurs\nRecyclerie ${tag};association;Gravelines;recyclage\n`
    + `La Recyclerie ${tag};association;Bourbourg;recyclage\n`;
  await admin.getByLabel('Fichier CSV').setInputFiles({ name: 'annuaire.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
  await admin.getByRole('button', { name: 'Essai à blanc' }).first().click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText("Compte rendu d'import");
  await expect(admin.getByText('2 nouvelles, 0 mises à jour')).toBeVisible();
  await admin.getByRole('button', { name: 'Appliquer cet import' }).click();
  await expect(admin.getByText("L'import est lancé")).toBeVisible();
  await expect(async () => {
    await admin.reload();
    await expect(admin.getByRole('heading', { name: 'Import appliqué' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15000 });

  // Merge: what moves is said first; the merged address then leads to the kept entry.
  const keep = `recyclerie-${tag.toLowerCase()}`;
  const merged = `la-recyclerie-${tag.toLowerCase()}`;
  await admin.goto(`/moderation/fusion?garder=${keep}&fusionner=${merged}`);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Fusionner deux fiches');
  await admin.getByRole('button', { name: 'Fusionner' }).click();
  await expect(admin.getByText("Les deux fiches n'en font plus qu'une")).toBeVisible();
  await expect(admin).toHaveURL(new RegExp(`/annuaire/${keep}/historique`));
  await admin.goto(`/annuaire/${merged}`);
  await expect(admin).toHaveURL(new RegExp(`/annuaire/${keep}$`));

  // Administration: out of the directory, the visitor no longer finds it.
  await admin.goto(`/annuaire/${keep}/administration`);
  await admin.getByRole('button', { name: "Retirer de l'annuaire" }).click();
  await expect(admin.getByText("La fiche est retirée de l'annuaire")).toBeVisible();
  const visitor = await browser.newPage();
  const gone = await visitor.goto(`/annuaire/${keep}`);
  expect(gone?.status()).toBe(404);
  await visitor.close();
  noErrors();
});
