import { test, expect } from '@playwright/test';
import { logInTo, waitForIslands, watchConsole } from './helpers';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

// Les Courses Asteur publish a call, form a consortium around it and invite the Maison de la
// poésie, found in the directory; the poetry house accepts and adds a task; the lead names the
// consortium on the call's page, where a visitor sees it. Each run (JavaScript on, off) has its
// own call.
test('a consortium forms around a call for projects', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page, /409|422/);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': javaScriptEnabled ? '192.0.2.61' : '192.0.2.62' });
  const mode = javaScriptEnabled ? 'avec' : 'sans';
  const title = `Appel réemploi (${mode} JavaScript)`;
  const consortium = `Boucle locale (${mode} JavaScript)`;

  await logInTo(page, 'gerance@courses-asteur.example', 'demo-gerance-asteur', '/appels/nouveau');
  await expect(page.getByRole('heading', { level: 1, name: 'Publier un appel à projets' })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Titre de l\'appel').fill(title);
  await page.getByLabel('Financeur').fill('Région Hauts-de-France');
  await page.getByLabel('Lien vers le texte officiel').fill('https://www.hautsdefrance.fr/appel');
  // A deadline already passed: refused by the server, what was typed stays.
  await page.getByLabel('Date limite de dépôt').fill(inDays(-3));
  await page.getByRole('button', { name: 'Publier l\'appel' }).click();
  await expect(page.getByText('La date limite est déjà passée.').first()).toBeVisible();
  await expect(page.getByLabel('Financeur')).toHaveValue('Région Hauts-de-France');
  await page.getByLabel('Date limite de dépôt').fill(inDays(40));
  await page.getByRole('button', { name: 'Publier l\'appel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('0 consortium s\'est formé')).toBeVisible();
  const callUrl = new URL(page.url()).pathname;

  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Nom du consortium').fill(consortium);
  await page.getByLabel('Sur la page de l\'appel').selectOption('privee');
  await page.getByRole('button', { name: 'Former le consortium' }).click();
  await expect(page.getByRole('heading', { level: 1, name: consortium })).toBeVisible();
  const consortiumUrl = new URL(page.url()).pathname;

  // The partner, found by name.
  await page.getByLabel('Nom de la structure').fill('poésie');
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page.getByText('Maison de la poésie —')).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Rôle proposé').first().fill('Soirées de lancement');
  await page.getByRole('button', { name: 'Inviter' }).first().click();
  await expect(page.getByText('L\'invitation est envoyée')).toBeVisible();
  if (javaScriptEnabled) await page.waitForURL(/message=invitation-envoyee/);

  // The poetry house accepts and adds a task.
  await logInTo(page, 'contact@maison-de-la-poesie.example', 'demo-club-artois', consortiumUrl);
  await expect(page.getByText('est invitée dans ce consortium')).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('button', { name: 'Accepter' }).click();
  await expect(page.getByText('Votre structure rejoint le consortium.')).toBeVisible();
  if (javaScriptEnabled) {
    await page.waitForURL(/message=invitation-acceptee/);
    await waitForIslands(page);
  }
  await page.getByLabel('Nouvelle tâche').fill('Lettre d\'engagement signée');
  await page.getByRole('button', { name: 'Ajouter' }).click();
  await expect(page.getByText('La tâche est ajoutée à la liste.')).toBeVisible();

  // The lead names the consortium on the call's page.
  await logInTo(page, 'gerance@courses-asteur.example', 'demo-gerance-asteur', consortiumUrl);
  await expect(page.getByText('Lettre d\'engagement signée')).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Le consortium y est').selectOption('publique');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByText('C\'est enregistré.')).toBeVisible();
  if (javaScriptEnabled) await page.waitForURL(/message=visibilite-enregistree/);

  await page.context().clearCookies();
  await page.goto(callUrl);
  await expect(page.getByText('1 consortium s\'est formé')).toBeVisible();
  await expect(page.getByText(consortium)).toBeVisible();
  noErrors();
});
