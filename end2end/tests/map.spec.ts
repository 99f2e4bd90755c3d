import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { watchConsole } from './helpers';

/** axe-core's WCAG 2.1 A and AA rules on the page as it is now (evaluated over the debugging
 *  protocol, which the pages' script policy does not restrict). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    // @ts-ignore: injected above
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
}

// The directory's map: the list stays the page (JavaScript off: the same search lists every
// structure, and a box in the address filters it); with JavaScript a newcomer opens the map from
// a filtered search, zooms into a group until one structure, opens its card and then its page.
test('the map follows the search, zooms into a group and opens a structure', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page);
  await page.goto('/annuaire?forme=association');
  const listed = await page.getByRole('heading', { level: 2, name: /structures?$/ }).textContent();
  await page.getByRole('link', { name: 'Voir sur la carte' }).click();
  await expect(page).toHaveURL('/annuaire/carte?forme=association');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Carte des acteurs de l'ESS");
  await expect(page.getByRole('heading', { level: 2, name: listed! })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Passer la carte et aller à la liste' })).toBeAttached();
  if (!javaScriptEnabled) {
    await expect(page.getByText('La carte s\'affiche avec JavaScript.')).toBeVisible();
    await expect(page.locator('li.result').first()).toBeVisible();
    await page.goto('/annuaire/carte?forme=association&zone=2.2,50.9,2.5,51.1');
    await expect(page.getByRole('list', { name: 'Filtres actifs' })).toContainText('Dans la zone de la carte');
    await page.getByRole('list', { name: 'Filtres actifs' }).getByRole('link', { name: /Dans la zone/ }).click();
    await expect(page).toHaveURL('/annuaire/carte?forme=association');
    noErrors();
    return;
  }
  const map = page.getByRole('region', { name: /Carte des structures/ });
  await expect(map).toBeVisible();
  const groups = map.getByRole('button', { name: /structures : zoomer sur ce groupe/ });
  const singles = map.getByRole('button', { name: /ouvrir sa fiche résumée/ });
  await expect(groups.or(singles).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'dans cette zone de la carte' })).toBeAttached();
  expect(await axeViolations(page), 'axe on the map view').toEqual([]);
  // The keyboard reaches the map, then its groups and points, and leaves it again.
  await page.getByRole('link', { name: 'Passer la carte et aller à la liste' }).focus();
  await page.keyboard.press('Tab');
  await expect(map).toBeFocused();
  // Zoom into a group, then on until a single structure shows.
  for (let i = 0; i < 10 && (i === 0 || (await singles.count()) === 0); i++) {
    await groups.first().click();
    await expect(page).toHaveURL(/zone=/);
    await page.waitForTimeout(700);
  }
  await expect(page.getByRole('list', { name: 'Filtres actifs' })).toContainText('Dans la zone de la carte');
  await singles.first().click();
  const card = page.locator('.map-card');
  await expect(card).toBeVisible();
  const link = card.getByRole('link');
  const name = (await link.textContent())!;
  await expect(link).toBeFocused();
  // Leaflet fades the card in: contrast is measured once it is opaque.
  await expect(page.locator('.leaflet-popup')).toHaveCSS('opacity', '1');
  expect(await axeViolations(page), 'axe with a card open').toEqual([]);
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  noErrors();
});

test('près de… orders the directory by distance, with or without JavaScript', async ({ page }) => {
  const noErrors = watchConsole(page);
  await page.goto('/annuaire');
  await page.getByLabel('Près de').fill('Dunkerque');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/pres=Dunkerque/);
  await expect(page.getByText('Triées par distance de Dunkerque.')).toBeVisible();
  await expect(page.locator('li.result .meta').first()).toContainText(/à \d+(,\d)? (m|km)$/);
  noErrors();
});
