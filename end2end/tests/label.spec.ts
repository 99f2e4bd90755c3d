import { test, expect } from '@playwright/test';
import { waitForIslands, watchConsole } from './helpers';

// The demo referent marks attendance for the Artois cohort under way (Les Courses Asteur has
// followed days 1 to 3), then anyone checks identifiers. JavaScript on uses day 4, off day 5,
// so that the two runs never tick the same box.
test('a referent marks attendance, then a visitor checks identifiers', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page);
  const day = javaScriptEnabled ? 4 : 5;
  await page.goto('/connexion?suivant=/label/gestion');
  await page.getByLabel('Adresse e-mail').fill('referente.label@dessine.example');
  await page.getByLabel('Mot de passe', { exact: true }).fill('demo-label-dessine');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Label « démarche progrès » : gestion' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Admettre : Jardins du Littoral' })).toBeVisible();

  const cohort = page.getByRole('heading', { level: 3, name: 'Artois — promotion en cours' });
  await expect(cohort).toBeVisible();
  await page.getByRole('link', { name: `Présences de la journée ${day}` }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`journée ${day}`);
  const box = page.getByRole('checkbox', { name: 'Les Courses Asteur' });
  await expect(box).not.toBeChecked();
  if (javaScriptEnabled) {
    await waitForIslands(page);
    await box.check();
    // Saved as soon as it is ticked: the count comes back from the server.
    await expect(page.locator('#presences-resume')).toHaveText('1 présente(s) sur 1.');
    await expect(box).toBeFocused();
  } else {
    await box.check();
    await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
    await expect(page.getByText('Les présences sont enregistrées.')).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Les Courses Asteur' })).toBeChecked();
  // The structure's page shows the referent the journey and the day.
  await page.goto('/annuaire/les-courses-asteur');
  await expect(page.getByText(/en formation \([45] journée\(s\) sur 6\)/)).toBeVisible();
  // Untick again, so that the demo stays as it was.
  await page.goto(`/label/cohortes/3/journees/${day}`);
  const again = page.getByRole('checkbox', { name: 'Les Courses Asteur' });
  if (javaScriptEnabled) {
    await waitForIslands(page);
    await again.uncheck();
    await expect(page.locator('#presences-resume')).toHaveText('0 présente(s) sur 1.');
  } else {
    await again.uncheck();
    await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
    await expect(page.getByText('Les présences sont enregistrées.')).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Les Courses Asteur' })).not.toBeChecked();

  // Anyone checks an identifier, typed loosely.
  await page.goto('/label');
  await page.getByLabel('Vérifier un identifiant').fill('dp 62 mp7k q3xa');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toContainText(/DP-62-MP7K-Q3XA : valable jusqu'au/);
  await expect(page.getByRole('link', { name: 'Maison de la poésie' })).toBeVisible();
  await page.getByLabel('Vérifier un identifiant').fill('DP-62-PB4N-R8TE');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /expiré le/ })).toBeVisible();
  await page.getByLabel('Vérifier un identifiant').fill('DP-62-ZZZZ-ZZZZ');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Identifiant inconnu' })).toBeVisible();
  noErrors();
});
