import { test, expect, Page } from '@playwright/test';
import { mailLink, waitForIslands, watchConsole } from './helpers';

const PASSWORD = 'cheval agrafe batterie';

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('sign-up, mail link, login, edit my structure, logout', async ({ page, browser, javaScriptEnabled }) => {
  const noErrors = watchConsole(page, /status of 422/);
  const email = `lea.martin.${javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@exemple.fr`;
  // Each project edits its own entry: the two run side by side.
  const slug = javaScriptEnabled ? 'jardins-du-littoral' : 'ressourcerie-du-dunkerquois';

  await page.goto('/inscription');
  await page.getByLabel('Nom et prénom').fill('Léa Martin');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByText('Consultez votre messagerie.')).toBeVisible();

  await page.goto(mailLink(email, '/verifier', 'token'));
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  // Confirming the address does not log in: the password is asked for.
  await expect(page).toHaveURL(/\/connexion\?message=adresse-confirmee/);
  await expect(page.getByText('Votre adresse est confirmée')).toBeVisible();
  await logIn(page, email, PASSWORD);
  await expect(page.getByRole('banner')).toContainText('Léa Martin');

  // Log out, then back in from the header's link: back to the page we were on.
  await page.getByRole('button', { name: 'Déconnexion' }).click();
  await page.goto(`/annuaire/${slug}`);
  await page.getByRole('banner').getByRole('link', { name: 'Connexion' }).click();
  await logIn(page, email, PASSWORD);
  await expect(page).toHaveURL(`/annuaire/${slug}`);

  await page.getByRole('button', { name: 'Demander à gérer cette fiche' }).click();
  // Nobody manages this entry: the request also goes to its public address, which may confirm it.
  await expect(page.getByText(/Votre demande (a été|est) envoyée/)).toBeVisible();

  // A site admin approves the request in the admin page.
  const admin = await browser.newPage();
  await admin.goto('/connexion?suivant=/admin/utilisateurs');
  await logIn(admin, 'admin@dessine.example', 'demo-admin-dessine');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Utilisateurs');
  if (javaScriptEnabled) await waitForIslands(admin);
  await admin.evaluate(() => { (window as any).__sameDocument = true; });
  await admin.getByRole('listitem').filter({ hasText: email }).getByRole('button', { name: 'Accepter' }).click();
  await expect(admin.getByText('La demande a été acceptée.')).toBeVisible();
  await expect(admin.getByRole('listitem').filter({ hasText: email })).toHaveCount(0);
  // With JavaScript the decision is made in place: the same document, no reload.
  expect(await admin.evaluate(() => (window as any).__sameDocument === true)).toBe(javaScriptEnabled);
  await admin.close();

  await page.goto(`/annuaire/${slug}`);
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('link', { name: 'Modifier la fiche' }).click();
  // With JavaScript the form opens inside the entry's page; without, on its own page.
  await expect(page).toHaveURL(javaScriptEnabled ? `/annuaire/${slug}` : `/annuaire/${slug}/modifier`);
  const offer = `Paniers de légumes de saison livrés chaque semaine (${email}).`;
  await page.getByRole('textbox', { name: 'Ce que la structure propose aux acheteurs' }).fill(offer);
  await page.getByLabel('Code postal').fill('591');
  await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
  // Bad input: the form comes back with the message and nothing typed is lost.
  await expect(page.getByText('Le code postal compte 5 chiffres')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Ce que la structure propose aux acheteurs' })).toHaveValue(offer);
  await page.getByLabel('Code postal').fill('59140');
  await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
  await expect(page.getByText('La fiche a été enregistrée.')).toBeVisible();
  await expect(page.getByText(offer)).toBeVisible();
  // With JavaScript the edit happened in place: still on the entry's own page.
  if (javaScriptEnabled) await expect(page).toHaveURL(`/annuaire/${slug}`);

  await page.getByRole('button', { name: 'Déconnexion' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Connexion' })).toBeVisible();
  noErrors();
});
