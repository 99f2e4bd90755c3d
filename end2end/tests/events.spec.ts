import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { waitForIslands, watchConsole } from './helpers';

/** The mails sent to `email`, decoded (quoted-printable), oldest first. */
function mailsTo(email: string): string[] {
  const folder = process.env.DESSINE_E2E_MAIL;
  if (!folder) throw new Error('DESSINE_E2E_MAIL is not set (run `make test`)');
  return fs.readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => path.join(folder, name))
    .sort()
    .map((file) => fs.readFileSync(file, 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/((?:=[0-9A-F]{2})+)/g, (run) => Buffer.from(run.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8')))
    .filter((text) => text.includes(`To: ${email}`));
}

/** The `route?jeton=…` link of the newest mail to `email` that has one, as a local path. */
function mailLink(email: string, route: string): string {
  const match = mailsTo(email).reverse()
    .map((text) => text.match(new RegExp(`https?://[^\\s"<]+${route}\\?jeton=[A-Za-z0-9_-]+`)))
    .find((m) => m);
  if (!match) throw new Error(`no ${route} link mailed to ${email}`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

async function registerAsGuest(page: Page, slug: string, name: string, email: string, js: boolean) {
  await page.goto(`/evenements/${slug}`);
  if (js) await waitForIslands(page);
  await page.getByLabel('Nom et prénom').fill(name);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: /M'inscrire/ }).click();
  await expect(page.getByText('Un e-mail vient de vous être envoyé')).toBeVisible();
  await page.goto(mailLink(email, '/evenements/confirmer'));
  await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
}

test('an organiser creates a one-seat event; guests register, the second waits, is promoted when the first cancels, and is checked in at the door', async ({ page, browser, javaScriptEnabled }) => {
  // The spent link answers 409 on purpose.
  const noErrors = watchConsole(page, /status of 409/);
  const tag = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;

  // The site admin creates the event in the page.
  const admin = await browser.newPage();
  await admin.goto('/connexion?suivant=/evenements/nouveau');
  await logIn(admin, 'admin@dessine.example', 'demo-admin-dessine');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Nouvel événement');
  await admin.getByLabel('Titre').fill(`Atelier une place ${tag}`);
  await admin.getByLabel("Type d'événement").selectOption('atelier');
  await admin.getByLabel('Date de début').fill('2030-05-14');
  await admin.getByLabel('Heure de début').fill('09:30');
  await admin.getByLabel('Heure de fin').fill('12:00');
  await admin.getByLabel('Lieu').fill('Halle aux sucres');
  await admin.getByLabel('Commune').selectOption({ label: 'Dunkerque' });
  await admin.getByLabel('Nombre de places').fill('1');
  await admin.getByRole('button', { name: "Créer l'événement" }).click();
  await expect(admin.getByText("L'événement a été enregistré.")).toBeVisible();
  const slug = new URL(admin.url()).pathname.split('/')[2];
  expect(slug).toBe(`atelier-une-place-${tag}`);

  // A first guest takes the seat.
  const first = `premiere.${tag}@exemple.fr`;
  await registerAsGuest(page, slug, 'Première Personne', first, javaScriptEnabled);
  await expect(page.getByText('Votre inscription est confirmée')).toBeVisible();
  await expect(page.locator('.event-seats')).toHaveText('Complet — liste d\'attente');

  // A second guest joins the waitlist.
  const second = `seconde.${tag}@exemple.fr`;
  await registerAsGuest(page, slug, 'Seconde Personne', second, javaScriptEnabled);
  await expect(page.getByText("vous êtes sur la liste d'attente")).toBeVisible();
  expect(mailsTo(second).pop()).toContain("en position 1");

  // The first cancels from the link of their confirmation mail: the second gets the seat.
  await page.goto(mailLink(first, '/evenements/annuler'));
  await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).click();
  await expect(page.getByText("L'inscription a été annulée.")).toBeVisible();
  expect(mailsTo(second).pop()).toContain("Une place s'est libérée");
  // The spent link says so.
  await page.goto(mailLink(first, '/evenements/annuler'));
  await expect(page.getByText('Cette inscription est déjà annulée.')).toBeVisible();

  // At the door: one tap marks the second person present.
  await admin.goto(`/evenements/${slug}/accueil`);
  if (javaScriptEnabled) await waitForIslands(admin);
  await expect(admin.locator('.checkin-count')).toHaveText('0 présent·e sur 1 attendu·e');
  await admin.evaluate(() => { (window as any).__sameDocument = true; });
  await admin.getByRole('button', { name: 'Marquer présent·e : Seconde Personne' }).click();
  await expect(admin.locator('.checkin-count')).toHaveText('1 présent·e sur 1 attendu·e');
  await expect(admin.getByRole('button', { name: 'Annuler la présence : Seconde Personne' })).toBeVisible();
  // With JavaScript the check-in happens in place.
  expect(await admin.evaluate(() => (window as any).__sameDocument === true)).toBe(javaScriptEnabled);

  // The organisers' list and its export.
  await admin.goto(`/evenements/${slug}/gestion`);
  await expect(admin.getByRole('table').first()).toContainText('Seconde Personne');
  const csv = await admin.request.get(`/evenements/${slug}/inscrits.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('Seconde Personne');
  await admin.close();
  noErrors();
});

test('a member registers on the waitlist of a full workshop, sees their position, and cancels from « Mon compte »', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page);
  const slug = 'atelier-repondre-a-un-marche-avec-une-clause-sociale';
  // Each project logs in as its own member (the demo manager, the demo admin): the two run side by side.
  const [email, password] = javaScriptEnabled
    ? ['gerance@courses-asteur.example', 'demo-gerance-asteur']
    : ['admin@dessine.example', 'demo-admin-dessine'];
  await page.goto('/connexion');
  await logIn(page, email, password);
  await expect(page.getByRole('banner')).toContainText('Déconnexion');

  await page.goto(`/evenements/${slug}`);
  if (javaScriptEnabled) await waitForIslands(page);
  await expect(page.getByText('Vous vous inscrivez en tant que')).toBeVisible();
  await page.getByRole('button', { name: "M'inscrire sur la liste d'attente" }).click();
  await expect(page.getByText(/liste d'attente, en position \d+/).first()).toBeVisible();

  await page.goto('/compte');
  if (javaScriptEnabled) await waitForIslands(page);
  const line = page.getByRole('listitem').filter({ hasText: 'répondre à un marché' });
  await expect(line).toContainText("liste d'attente, position");
  await line.getByRole('button', { name: /Annuler/ }).click();
  await expect(page.getByText("L'inscription a été annulée.")).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'répondre à un marché' })).toHaveCount(0);
  noErrors();
});

test('the list filters by kind and month in the URL, and the archive shows past events', async ({ page }) => {
  await page.goto('/evenements');
  await page.getByLabel('Type').selectOption('salon');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page).toHaveURL(/type=salon/);
  await expect(page.getByRole('heading', { level: 3 })).toHaveCount(1);
  await expect(page.getByRole('link', { name: /Salon de l'achat responsable/ })).toBeVisible();
  await page.getByRole('link', { name: 'Voir les événements passés' }).click();
  await expect(page).toHaveURL(/passes=1/);
  await page.goto('/evenements?passes=1');
  await expect(page.getByRole('link', { name: 'Village des solidarités' })).toBeVisible();
  const ics = await page.request.get('/evenements/salon-de-l-achat-responsable-du-dunkerquois.ics');
  expect(ics.headers()['content-type']).toContain('text/calendar');
  expect(await ics.text()).toContain('BEGIN:VTIMEZONE');
});
