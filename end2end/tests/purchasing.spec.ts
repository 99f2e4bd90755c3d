import { test, expect, Page } from '@playwright/test';
import { waitForIslands, watchConsole } from './helpers';

async function logIn(page: Page, email: string, password: string, next: string) {
  await page.context().clearCookies();
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

// The urban community's buyer publishes a need, the Ressourcerie answers it, the buyer closes it
// with the contract won; the report counts it. Each run (JavaScript on, off) has its own need.
test('a buyer publishes a need, a supplier answers, the buyer closes it', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page, /422/);
  const title = `Reprise des chaises de la salle du conseil (${javaScriptEnabled ? 'avec' : 'sans'} JavaScript)`;
  await logIn(page, 'achats@cud.example', 'demo-achats-cud', '/achats/nouveau');
  await expect(page.getByRole('heading', { level: 1, name: "Publier un besoin d'achat" })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Objet').fill(title);
  // Too short a description: refused, what was typed stays.
  await page.getByLabel('Description').fill('Chaises');
  await page.getByRole('checkbox', { name: 'Recyclage' }).check();
  await page.getByLabel('Commune où la prestation a lieu').selectOption({ label: 'Dunkerque' });
  const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Date limite des réponses').fill(deadline);
  await page.getByRole('button', { name: 'Enregistrer et voir les structures proposées' }).click();
  await expect(page.getByText('Décrivez le besoin en quelques phrases')).toBeVisible();
  await expect(page.getByLabel('Objet')).toHaveValue(title);
  await page.getByLabel('Description').fill('Cent vingt chaises de réunion et dix tables à reprendre, à remettre en état ou à recycler.');
  await page.getByRole('button', { name: 'Enregistrer et voir les structures proposées' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ressourcerie du Dunkerquois' })).toBeVisible();
  await expect(page.getByText('secteur : recyclage · même intercommunalité').first()).toBeVisible();
  const needUrl = new URL(page.url()).pathname;
  if (javaScriptEnabled) await waitForIslands(page);
  // The buyer takes one proposed structure off the list before sending.
  const send = page.getByRole('button', { name: /Envoyer le besoin aux \d+ structure/ });
  const before = Number((await send.textContent())!.match(/\d+/)![0]);
  await page.getByRole('button', { name: 'Retirer : Ressourcerie Zuydcoote' }).click();
  await expect(page.getByRole('button', { name: 'Remettre dans la liste : Ressourcerie Zuydcoote' })).toBeVisible();
  await expect(send).toHaveText(`Envoyer le besoin aux ${before - 1} structure(s) retenue(s)`);
  await send.click();
  await expect(page.getByText('Le besoin est envoyé').first()).toBeVisible();

  // The Ressourcerie's manager answers.
  await logIn(page, 'direction@ressourcerie-du-dunkerquois.example', 'demo-ressourcerie', needUrl);
  await expect(page.getByRole('heading', { level: 2, name: 'Votre réponse pour Ressourcerie du Dunkerquois' })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel(/Votre message/).fill('Nous passons avec un camion la semaine prochaine.');
  await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await expect(page.getByText("Votre réponse est envoyée à l'acheteur.").first()).toBeVisible();
  await expect(page.getByText(/Vous avez répondu le .* : intéressée\./)).toBeVisible();

  // The buyer reads it and closes the need.
  await logIn(page, 'achats@cud.example', 'demo-achats-cud', needUrl);
  await expect(page.getByText('Nous passons avec un camion la semaine prochaine.')).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('combobox', { name: 'Ressourcerie du Dunkerquois' }).selectOption({ label: 'retenue' });
  await page.getByLabel('Montant pour Ressourcerie du Dunkerquois').fill('3 200');
  await page.getByRole('button', { name: 'Clore le besoin' }).click();
  await expect(page.getByText("Le besoin est clos : merci d'avoir indiqué le résultat.").first()).toBeVisible();
  await expect(page.getByText('Résultat : retenue, 3 200 €')).toBeVisible();
  noErrors();
});

test('visitors filter the open needs and read the report without an account', async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/achats');
  await expect(page.getByRole('heading', { level: 1, name: 'Achats responsables' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Reprise et réemploi du mobilier de bureau/ })).toBeVisible();
  // The works council's need is private: never listed.
  await expect(page.getByText('Paniers de légumes pour les salariés')).toHaveCount(0);
  await page.getByLabel('Secteur').selectOption({ label: 'Culture' });
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page).toHaveURL(/secteur=culture/);
  await expect(page.getByRole('heading', { level: 2, name: 'Aucun besoin ouvert pour ces critères' })).toBeVisible();
  await page.getByRole('link', { name: 'Le bilan des achats' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bilan des achats responsables' })).toBeVisible();
  await expect(page.getByRole('table').first()).toContainText('Ensemble');
  await expect(page.getByRole('link', { name: /Télécharger le bilan \d{4} \(CSV\)/ })).toBeVisible();
  noErrors();
});
