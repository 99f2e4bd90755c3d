import { test, expect } from '@playwright/test';
import { logInTo as logIn, waitForIslands, watchConsole } from './helpers';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

// Les Courses Asteur offer a room; the Maison de la poésie asks for two overlapping periods;
// the first is accepted, the second refused by the database. Each run (JavaScript on, off) has
// its own room.
test('a room is offered, booked, and the overlapping booking refused', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page, /409|422/);
  // Its own address: the suite's earlier logins from the project's address count against the
  // login limit (20 per address per quarter of an hour).
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': javaScriptEnabled ? '192.0.2.41' : '192.0.2.42' });
  const title = `Salle de l'atelier (${javaScriptEnabled ? 'avec' : 'sans'} JavaScript)`;
  await logIn(page, 'gerance@courses-asteur.example', 'demo-gerance-asteur', '/moyens/proposer');
  await expect(page.getByRole('heading', { level: 1, name: 'Proposer ou chercher un moyen' })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Ce qui est partagé').selectOption({ label: 'Salle' });
  await page.getByLabel('Conditions').selectOption({ label: 'Gratuit' });
  // A title too long: refused by the server, what was chosen stays.
  await page.getByLabel('Titre').fill('Salle '.repeat(30));
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByText('Le titre ne doit pas dépasser 120 caractères.').first()).toBeVisible();
  await expect(page.getByLabel('Ce qui est partagé')).toHaveValue('salle');
  await page.getByLabel('Titre').fill(title);
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("C'est publié")).toBeVisible();
  const roomUrl = new URL(page.url()).pathname;

  // The poetry house asks for days 50-52, then 52-53.
  await logIn(page, 'contact@maison-de-la-poesie.example', 'demo-club-artois', roomUrl);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  for (const [first, last] of [[50, 52], [52, 53]]) {
    if (javaScriptEnabled) await waitForIslands(page);
    await page.getByLabel('Premier jour').fill(inDays(first));
    await page.getByLabel('Dernier jour').fill(inDays(last));
    await page.getByLabel('Message à la structure').fill('Pour une soirée-lecture.');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect(page.getByText('Votre demande de réservation est envoyée')).toBeVisible();
    // With JavaScript the island then goes to the page the server named, as the plain form does.
    await page.waitForURL(/message=demande-envoyee/);
    await page.goto(roomUrl);
  }

  // The owner accepts the first; the second overlaps it: refused, with why.
  await logIn(page, 'gerance@courses-asteur.example', 'demo-gerance-asteur', roomUrl);
  await expect(page.getByRole('heading', { name: 'Demandes en attente' })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('button', { name: 'Accepter' }).first().click();
  await expect(page.getByText('La réservation est acceptée.')).toBeVisible();
  await page.waitForURL(/message=reservation-acceptee/);
  await page.goto(roomUrl);
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('button', { name: 'Accepter' }).first().click();
  await expect(page.getByText('chevauchent une réservation déjà acceptée')).toBeVisible();

  // A visitor sees the days taken, not who took them.
  await page.context().clearCookies();
  await page.goto(roomUrl);
  await expect(page.getByRole('heading', { name: 'Jours déjà réservés' })).toBeVisible();
  await expect(page.getByText('Maison de la poésie')).toHaveCount(0);
  noErrors();
});
