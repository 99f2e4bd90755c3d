import { test, expect } from '@playwright/test';
import { watchConsole, waitForIslands } from './helpers';

const menuPages = [
  { link: "Qu'est-ce que l'ESS ?", path: '/qu-est-ce-que-l-ess', heading: "Qu'est-ce que l'économie sociale et solidaire ?" },
  { link: "Qu'est-ce que DESSINE ?", path: '/qu-est-ce-que-dessine', heading: "Qu'est-ce que DESSINE ?" },
  { link: "Annuaire des acteurs de l'ESS", path: '/annuaire', heading: "Annuaire des acteurs de l'ESS" },
  { link: 'Qui sommes-nous ?', path: '/qui-sommes-nous', heading: 'Qui sommes-nous ?' },
];

test('home page says what the portal is for', async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/');
  await expect(page).toHaveTitle('DESSINE');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/économie sociale et solidaire/);
  await expect(page.getByRole('heading', { level: 2, name: "Les secteurs d'activité" })).toBeVisible();
  await expect(page.getByText('Finance solidaire', { exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  noErrors();
});

for (const { link, path, heading } of menuPages) {
  test(`menu leads to « ${link} »`, async ({ page }) => {
    const noErrors = watchConsole(page);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: link }).click();
    await expect(page).toHaveURL(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page).toHaveTitle(`${link} · DESSINE`);
    await expect(
      page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: link }),
    ).toHaveAttribute('aria-current', 'page');
    noErrors();
  });
}

test('skip link moves the keyboard to the content', async ({ page }) => {
  await page.goto('/qui-sommes-nous');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#contenu$/);
});

test('unknown address shows the French 404 page', async ({ page }) => {
  const response = await page.goto('/nulle-part');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  await page.getByRole('link', { name: "Revenir à l'accueil" }).click();
  await expect(page).toHaveURL('/');
});

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('menu island folds the links behind a button when JavaScript runs', async ({ page, javaScriptEnabled }) => {
    const noErrors = watchConsole(page);
    await page.goto('/');
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    if (!javaScriptEnabled) {
      // Without JavaScript the menu simply stays open and no dead button is shown.
      await expect(page.getByRole('button', { name: 'Menu' })).toHaveCount(0);
      await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeVisible();
      return;
    }
    await waitForIslands(page);
    const toggle = page.getByRole('button', { name: 'Menu' });
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeHidden();
    await toggle.click();
    const close = page.getByRole('button', { name: 'Fermer le menu' });
    await expect(close).toHaveAttribute('aria-expanded', 'true');
    await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeVisible();
    await close.click();
    await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeHidden();
    noErrors();
  });

  test('pages fit the screen without sideways scrolling', async ({ page }) => {
    for (const path of ['/', ...menuPages.map((p) => p.path)]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
