import { test, expect, Page, Browser } from '@playwright/test';
import * as fs from 'fs';
import { mailLink, waitForIslands, watchConsole } from './helpers';

const PASSWORD = 'cheval agrafe batterie';
const CLUB = '/clubs/club-de-l-ess-du-dunkerquois';

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

async function loggedIn(browser: Browser, email: string, password: string, next: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await logIn(page, email, password);
  await expect(page).toHaveURL(next);
  return page;
}

/** A new member with a confirmed address, logged in on `page`. */
async function signUp(page: Page, name: string, email: string) {
  await page.goto('/inscription');
  await page.getByLabel('Nom et prénom').fill(name);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByText('Consultez votre messagerie.')).toBeVisible();
  await page.goto(mailLink(email, '/verifier', 'token'));
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await logIn(page, email, PASSWORD);
  await expect(page.getByRole('banner')).toContainText(name);
}

/** With JavaScript, marks the window: the mark survives every in-place action, not a reload. */
async function markWindow(page: Page, js: boolean) {
  if (!js) return;
  await waitForIslands(page);
  await page.evaluate(() => { (window as any).__sameWindow = true; });
}

async function expectSameWindow(page: Page, js: boolean) {
  if (js) expect(await page.evaluate(() => (window as any).__sameWindow)).toBe(true);
}

test('a newcomer joins by e-mail, asks again after leaving; admins approve (the second is told), promote, remove, invite back; the structure accepts', async ({ page, browser, javaScriptEnabled: js }) => {
  // The stale second admin's decision answers 409 on purpose.
  const noErrors = watchConsole(page, /status of 409/);
  const tag = `${js ? 'js' : 'nojs'}${Date.now()}`;
  const email = `gerante.${tag}@exemple.fr`;
  const person = `Gérante ${tag}`;
  const structure = `Atelier Partagé ${tag}`;

  // A member of the club invites an address; its owner signs up and creates the entry.
  const sophie = await loggedIn(browser, 'animation@entreprendre-ensemble.example', 'demo-club-dunkerquois', CLUB);
  await sophie.getByLabel("Adresse e-mail de la personne à inviter").fill(email);
  await sophie.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(sophie.getByText("L'invitation a été envoyée à cette adresse.")).toBeVisible();
  await signUp(page, person, email);
  await page.goto(mailLink(email, '/clubs/invitation', 'jeton'));
  await page.getByLabel('Nom de la structure').fill(structure);
  await page.getByLabel('Forme juridique').selectOption('scop');
  await page.getByLabel('Commune').selectOption({ label: 'Grande-Synthe' });
  await page.getByRole('button', { name: 'Rejoindre le club' }).click();
  await expect(page.getByText('Votre structure est membre du club. Sa fiche, nouvelle, sera publiée')).toBeVisible();
  // The new entry waits for a moderator before it shows anywhere (no side door into the directory).
  const moderator = await loggedIn(browser, 'admin@dessine.example', 'demo-admin-dessine', '/moderation');
  await moderator.getByRole('link', { name: structure }).click();
  await moderator.getByRole('button', { name: "Publier dans l'annuaire" }).click();
  await expect(moderator.getByText("La fiche est publiée dans l'annuaire.")).toBeVisible();
  await moderator.close();
  await page.goto(CLUB);

  // The manager takes the structure out, then asks to join again, in the page.
  await markWindow(page, js);
  await page.getByRole('button', { name: `Quitter le club (${structure})` }).click();
  await expect(page.getByText('Votre structure a quitté le club.').first()).toBeVisible();
  await page.getByLabel('Votre message aux administrateurs du club').fill('Nous revenons avec un projet de recyclerie.');
  await page.getByRole('button', { name: "Demander l'adhésion" }).click();
  await expect(page.getByText("Votre demande d'adhésion a été envoyée").first()).toBeVisible();
  await expect(page.getByText('la demande d\'adhésion attend la réponse')).toBeVisible();
  await expectSameWindow(page, js);

  // Two admins open the membership page; the first approves, the second (stale page) is told.
  await sophie.goto(`${CLUB}/membres`);
  const admin = await loggedIn(browser, 'admin@dessine.example', 'demo-admin-dessine', `${CLUB}/membres`);
  await markWindow(sophie, js);
  await markWindow(admin, js);
  const pending = sophie.locator('#en-attente');
  await expect(pending).toContainText('Nous revenons avec un projet de recyclerie.');
  await sophie.getByRole('button', { name: `Approuver la demande de ${structure}` }).click();
  await expect(sophie.getByText('La structure est maintenant membre du club.').first()).toBeVisible();
  await expect(sophie.locator('#en-attente')).not.toContainText(structure);
  await expect(sophie.locator('#membres-actifs')).toContainText(structure);
  await admin.getByRole('button', { name: `Décliner (${structure})` }).click();
  await expect(admin.getByText(/Cette demande a déjà été traitée : Sophie Animatrice a approuvé l'adhésion de/).first()).toBeVisible();
  if (js) {
    // The stale list was refreshed to the truth.
    await expect(admin.locator('#membres-actifs')).toContainText(structure);
  }
  await expectSameWindow(admin, js);

  // Promote the new manager, in place.
  await sophie.getByRole('button', { name: `Nommer administrateur : ${person}` }).click();
  await expect(sophie.getByText('La personne est maintenant administratrice du club.').first()).toBeVisible();
  await expect(sophie.getByRole('button', { name: `Retirer le rôle d'administrateur : ${person}` })).toBeVisible();
  if (js) await expect(sophie.getByRole('button', { name: `Retirer le rôle d'administrateur : ${person}` })).toBeFocused();

  // Remove the structure: a reason is required, then it leaves the list (and its manager the role).
  const row = sophie.locator('#membres-actifs > ul > li', { hasText: structure });
  await row.getByRole('button', { name: `Retirer du club : ${structure}` }).click();
  if (!js) {
    // The browser itself refuses the empty required field: nothing was sent.
    await expect(sophie.locator('#membres-actifs')).toContainText(structure);
  }
  await row.getByLabel('Motif du retrait').fill('Test de bout en bout');
  await row.getByRole('button', { name: `Retirer du club : ${structure}` }).click();
  await expect(sophie.getByText('La structure a été retirée du club.').first()).toBeVisible();
  await expect(sophie.locator('#membres-actifs')).not.toContainText(structure);
  await expect(sophie.locator('#historique')).toContainText(`a retiré du club ${structure}`);
  await expect(sophie.locator('#historique')).toContainText(`a retiré le rôle d'administrateur à ${person}`);
  if (js) await expect(sophie.locator('#membres-actifs')).toBeFocused();
  await expectSameWindow(sophie, js);

  // Invite it back from the directory search; its manager accepts in the page.
  await sophie.goto(CLUB);
  await sophie.getByLabel("Nom de la structure dans l'annuaire").fill(`Atelier Partagé ${tag}`);
  await sophie.getByRole('button', { name: 'Chercher' }).click();
  await markWindow(sophie, js);
  await sophie.getByRole('button', { name: `Inviter ${structure}` }).click();
  await expect(sophie.getByText("L'invitation a été envoyée aux gérants de la structure.").first()).toBeVisible();
  await expectSameWindow(sophie, js);
  expect(fs.existsSync(process.env.DESSINE_E2E_MAIL!)).toBe(true);
  await page.goto(CLUB);
  await markWindow(page, js);
  await page.getByRole('button', { name: `Accepter l'invitation pour ${structure}` }).click();
  await expect(page.getByText('Votre structure est maintenant membre du club.').first()).toBeVisible();
  await expect(page.locator('#membres-club')).toContainText(structure);
  await expectSameWindow(page, js);
  noErrors();
});

test('a visitor reads the clubs, the charter and the members, and is asked to log in to join', async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Clubs' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Clubs');
  await page.getByRole('link', { name: "Club de l'ESS du dunkerquois" }).click();
  await expect(page.getByRole('heading', { name: 'La charte' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /structures membres/ })).toBeVisible();
  await page.getByRole('link', { name: 'Les Courses Asteur' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Les Courses Asteur');
  await expect(page.getByRole('link', { name: "Club de l'ESS du dunkerquois" })).toBeVisible();
  await page.goto(CLUB);
  await expect(page.getByText('pour demander l\'adhésion de votre structure')).toBeVisible();
  noErrors();
});
