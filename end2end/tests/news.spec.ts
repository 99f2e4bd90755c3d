import { test, expect, Page, Browser } from '@playwright/test';
import { waitForIslands, watchConsole } from './helpers';

const EDITOR = { email: 'redaction@dessine.example', password: 'demo-redaction-dessine' };

async function loggedIn(browser: Browser, next: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(EDITOR.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(EDITOR.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(next);
  return page;
}

test('an editor writes an article, previews it, publishes it; visitors read it, its keyword and its feed', async ({ page, browser, javaScriptEnabled: js }) => {
  const tag = `${js ? 'js' : 'nojs'}${Date.now()}`;
  const title = `Salon ${tag} : les ateliers`;
  const editor = await loggedIn(browser, '/redaction');
  const noErrors = watchConsole(editor);
  await editor.getByRole('link', { name: 'Écrire un article' }).click();
  await expect(editor.getByRole('heading', { level: 1, name: 'Nouvel article' })).toBeVisible();
  await editor.getByLabel('Titre').fill(title);
  await editor.getByLabel('Résumé').fill('Trois ateliers pour acheter autrement.');
  const body = editor.getByLabel('Texte');
  const preview = editor.locator('[data-preview]');
  if (js) {
    await waitForIslands(editor);
    // The preview follows the typing, cleaned by the server.
    await body.pressSequentially('## Programme\n\nAvec **la clause sociale** <script>window.__xss = 1</script>', { delay: 5 });
    await expect(preview.locator('h2')).toHaveText('Programme');
    await expect(preview.locator('strong')).toHaveText('la clause sociale');
  } else {
    await body.fill('## Programme\n\nAvec **la clause sociale** <script>window.__xss = 1</script>');
    await editor.getByRole('button', { name: 'Prévisualiser' }).click();
    await expect(preview.locator('h2')).toHaveText('Programme');
    await expect(preview.locator('strong')).toHaveText('la clause sociale');
    // Nothing typed was lost.
    await expect(editor.getByLabel('Titre')).toHaveValue(title);
  }
  await expect(preview.locator('script')).toHaveCount(0);
  await body.fill(`## Programme\n\nAvec **la clause sociale**, voir [Entreprendre Ensemble](/annuaire/entreprendre-ensemble).`);
  await editor.getByLabel('Mots clés').fill(`Atelier ${tag}, Achat responsable`);
  await editor.getByLabel('Publié (à la date ci-dessous, ou tout de suite si elle est vide)').check();
  await editor.getByLabel('Date de publication').fill('');
  await editor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(editor.getByText("L'article est publié.")).toBeVisible();
  await expect(editor.getByText('État : Publié')).toBeVisible();
  noErrors();

  // A visitor finds it in the list, opens it, follows its keyword and its feed.
  await page.goto('/actualites');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Programme' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Entreprendre Ensemble' }).first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  await page.getByRole('link', { name: `Atelier ${tag}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Actualités : Atelier ${tag}`);
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  const feed = await page.request.get(await page.getByRole('link', { name: "S'abonner (flux Atom)" }).getAttribute('href') ?? '');
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  expect(await feed.text()).toContain(title);
  // The structure it mentions lists it.
  await page.goto('/annuaire/entreprendre-ensemble');
  await expect(page.getByRole('region', { name: "Dans l'actualité" }).getByRole('link', { name: title })).toBeVisible();
  await editor.close();
});

test('a draft stays with the editors; a visitor gets a 404', async ({ page, browser }) => {
  const title = `Brouillon ${Date.now()}`;
  const editor = await loggedIn(browser, '/redaction/articles/nouveau');
  await editor.getByLabel('Titre').fill(title);
  await editor.getByLabel('Résumé').fill('Pas encore.');
  await editor.getByLabel('Texte').fill('À venir.');
  await editor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(editor.getByText("L'article est enregistré.")).toBeVisible();
  await expect(editor.getByText('État : Brouillon')).toBeVisible();
  const href = await editor.getByRole('link', { name: 'Voir tel quel' }).getAttribute('href');
  const response = await page.goto(href ?? '/');
  expect(response?.status()).toBe(404);
  await page.goto('/actualites');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  await editor.close();
});
