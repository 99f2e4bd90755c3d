import { test, expect, Page } from '@playwright/test';
import { waitForIslands, watchConsole } from './helpers';

async function signUp(page: Page, name: string, email: string) {
  await page.goto('/inscription');
  await page.getByLabel('Nom et prénom').fill(name);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('cheval agrafe batterie');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByText('Consultez votre messagerie.')).toBeVisible();
}

test('a site admin changes roles and statuses row by row in one page', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page);
  const stamp = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
  const email = `rangée.${stamp}@exemple.fr`.replace('é', 'e');
  await signUp(page, `Rangée ${stamp}`, email);

  await page.goto('/connexion?suivant=/admin/utilisateurs');
  await page.getByLabel('Adresse e-mail').fill('admin@dessine.example');
  await page.getByLabel('Mot de passe', { exact: true }).fill('demo-admin-dessine');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Chercher un utilisateur (nom ou e-mail)').fill(stamp);
  await page.getByRole('button', { name: 'Chercher' }).click();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.evaluate(() => { (window as any).__sameDocument = true; });

  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByRole('button', { name: /Rendre administrateur/ }).click();
  await expect(page.getByText('Le compte est maintenant administrateur du site.')).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Adresse non confirmée' })).toBeVisible();
  const demote = row.getByRole('button', { name: /Retirer l'administration/ });
  await expect(demote).toBeVisible();
  if (javaScriptEnabled) {
    // Focus stays on the row's form, now offering the opposite action.
    await expect(demote).toBeFocused();
  }
  await demote.click();
  await expect(page.getByText("Le compte n'est plus administrateur du site.")).toBeVisible();

  await row.getByRole('button', { name: /Désactiver/ }).click();
  await expect(page.getByText('Le compte est désactivé : ses sessions sont fermées.')).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Désactivé' })).toBeVisible();
  await row.getByRole('button', { name: /Réactiver/ }).click();
  await expect(page.getByText('Le compte est réactivé.')).toBeVisible();

  // With JavaScript every action happened in place (same document, search kept in the URL);
  // without, each was a post, a redirect and a notice.
  expect(await page.evaluate(() => (window as any).__sameDocument === true)).toBe(javaScriptEnabled);
  if (javaScriptEnabled) await expect(page).toHaveURL(new RegExp(`q=${stamp}`));
  noErrors();
});
