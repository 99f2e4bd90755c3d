import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers';

const menuPages = [
  { link: "Qu'est-ce que l'ESS ?", path: '/qu-est-ce-que-l-ess', heading: "Qu'est-ce que l'économie sociale et solidaire ?" },
  { link: "Qu'est-ce que DESSINE ?", path: '/qu-est-ce-que-dessine', heading: "Qu'est-ce que DESSINE ?" },
  { link: "Annuaire des acteurs de l'ESS", path: '/annuaire', heading: "Annuaire des acteurs de l'ESS" },
  { link: 'Qui sommes-nous ?', path: '/qui-sommes-nous', heading: 'Qui sommes-nous ?' },
  { link: 'Actualités', path: '/actualites', heading: 'Actualités' },
];

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** The menu button's label against its own background: AA (4.5:1) in the state `state`. */
async function expectReadable(page: import('@playwright/test').Page, state: string) {
  const { color, background } = await page.locator('.menu-toggle').evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor };
  });
  expect(contrast(color, background), `menu button ${state}: ${color} on ${background}`).toBeGreaterThanOrEqual(4.5);
}

test('reading pages load no script file; pages with a live part load it', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (/\.(js|wasm)(\?|$)/.test(request.url())) scripts.push(request.url());
  });
  for (const path of ['/', '/qu-est-ce-que-l-ess', '/annuaire/les-courses-asteur', '/connexion', '/nulle-part', '/clubs']) {
    scripts.length = 0;
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    expect(scripts, path).toEqual([]);
  }
  await page.goto('/annuaire?q=recyclage');
  await page.waitForLoadState('networkidle');
  if (await page.evaluate(() => document.documentElement.classList.contains('js'))) {
    expect(scripts.some((url) => url.endsWith('.wasm'))).toBe(true);
  }
});

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
    // The window's title is the page's own heading (an information page's title is edited in the page).
    await expect(page).toHaveTitle(`${heading} · DESSINE`);
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

  test('the menu folds behind a readable button when JavaScript runs, and stays open without it', async ({ page, javaScriptEnabled }) => {
    const noErrors = watchConsole(page);
    await page.goto('/');
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    if (!javaScriptEnabled) {
      // Without JavaScript the menu simply stays open and no dead button is shown.
      await expect(page.getByRole('button', { name: 'Menu' })).toHaveCount(0);
      await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeVisible();
      return;
    }
    const toggle = page.getByRole('button', { name: 'Menu' });
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeHidden();
    await expectReadable(page, 'closed');
    await toggle.hover();
    await expectReadable(page, 'hovered');
    await page.mouse.move(0, 600);
    await toggle.focus();
    await expectReadable(page, 'focused');
    await toggle.click();
    const close = page.getByRole('button', { name: 'Fermer le menu' });
    await expect(close).toHaveAttribute('aria-expanded', 'true');
    await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeVisible();
    await expectReadable(page, 'open and focused');
    await page.mouse.move(0, 600);
    await page.locator('h1').click();
    await expectReadable(page, 'open');
    await close.click();
    await expect(menu.getByRole('link', { name: 'Qui sommes-nous ?' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
    noErrors();
  });

  test('nothing moves once the page is shown (no layout shift)', async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, 'measured in the page by a script; Lighthouse measures it without');
    for (const path of ['/', '/qui-sommes-nous', '/annuaire?q=recyclage', '/annuaire/les-courses-asteur', '/connexion', '/clubs']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const shift = await page.evaluate(() => new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) total += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 300);
      }));
      expect(shift, path).toBe(0);
    }
  });

  test('pages fit the screen without sideways scrolling', async ({ page }) => {
    for (const path of ['/', ...menuPages.map((p) => p.path)]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
