import { test, expect } from '@playwright/test';
import { waitForIslands, watchConsole } from './helpers';

test('home search box leads to matching structures', async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/');
  await page.getByLabel("Chercher un acteur de l'ESS").fill('poesie');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL('/annuaire?q=poesie');
  await expect(page.getByRole('heading', { level: 2, name: '1 structure' })).toBeVisible();
  await page.getByRole('link', { name: 'Maison de la poésie' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maison de la poésie');
  noErrors();
});

test('search form, facets and filter removal work through the URL', async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/annuaire');
  // 60 demo structures, and those other journeys running alongside may have added.
  await expect(page.getByRole('heading', { level: 2, name: /^\d+ structures$/ })).toBeVisible();
  await page.getByLabel('Rechercher un acteur').fill('économie');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/q=%C3%A9conomie/);
  const facets = page.getByRole('navigation', { name: 'Affiner la recherche' });
  await facets.getByRole('link', { name: /^Association/ }).click();
  await expect(page).toHaveURL(/forme=association/);
  await expect(page.getByRole('list', { name: 'Filtres actifs' })).toContainText('Forme : Association');
  // The query box keeps the words and the hidden field keeps the filter on a new search.
  await expect(page.getByLabel('Rechercher un acteur')).toHaveValue('économie');
  await page.getByLabel('Rechercher un acteur').fill('solidaire');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/q=solidaire.*forme=association/);
  await page.getByRole('list', { name: 'Filtres actifs' }).getByRole('link').first().click();
  await expect(page).toHaveURL('/annuaire?q=solidaire');
  noErrors();
});

test('pagination moves through the results', async ({ page }) => {
  await page.goto('/annuaire');
  await page.getByRole('link', { name: 'Page suivante →' }).click();
  await expect(page).toHaveURL('/annuaire?page=2');
  await expect(page.getByText(/^Page 2 sur \d+$/)).toBeVisible();
  await expect(page.locator('li.result')).toHaveCount(20);
});

test("a structure's page links back to the filtered directory", async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/annuaire/les-courses-asteur');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Les Courses Asteur');
  await expect(page.getByRole('link', { name: 'Voir sur OpenStreetMap' })).toBeVisible();
  await page.getByRole('list', { name: 'Secteurs' }).getByRole('link', { name: 'Mobilité' }).click();
  await expect(page).toHaveURL('/annuaire?secteur=mobilite');
  await expect(page.getByRole('link', { name: 'Les Courses Asteur' })).toBeVisible();
  noErrors();
});

test('with JavaScript, results follow the typing and the URL keeps in step', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'live results need JavaScript; without it the form is submitted (tests above)');
  const noErrors = watchConsole(page);
  await page.goto('/annuaire?forme=association');
  await waitForIslands(page);
  const box = page.getByLabel('Rechercher un acteur');
  await box.pressSequentially('poesie', { delay: 40 });
  // No submit: the island fetched the results after the pause in typing.
  await expect(page).toHaveURL('/annuaire?q=poesie&forme=association');
  await expect(page.getByRole('heading', { level: 2, name: '1 structure' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Maison de la poésie' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('1 structure');
  // Typing went on undisturbed: the box kept the focus and every letter.
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('poesie');
  await box.fill('zzzz introuvable');
  await expect(page.getByRole('heading', { level: 2, name: 'Aucune structure trouvée' })).toBeVisible();
  await expect(page).toHaveURL(/q=zzzz\+introuvable/);
  // The refreshed results are ordinary links.
  await box.fill('papillons');
  await page.getByRole('link', { name: 'Les Papillons Blancs de Dunkerque' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Les Papillons Blancs de Dunkerque');
  noErrors();
});
