import { test, expect } from '@playwright/test';
import { logInTo, mailLink, waitForIslands, watchConsole } from './helpers';

// A visitor with a project in Grande-Synthe asks for support, confirms by the mailed link; the
// advisor of Entreprendre Ensemble (the network that covers the urban community) takes it and
// writes; the holder answers by the link of that mail; the advisor closes it. Each run
// (JavaScript on, off) has its own holder and request.
test('a support request is confirmed, taken, answered and closed', async ({ page, javaScriptEnabled }) => {
  const noErrors = watchConsole(page, /409|422/);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': javaScriptEnabled ? '192.0.2.51' : '192.0.2.52' });
  const mode = javaScriptEnabled ? 'avec' : 'sans';
  const email = `porteuse.${mode}.${Date.now()}@exemple.fr`;
  const title = `Épicerie solidaire (${mode} JavaScript)`;

  await page.goto('/accompagnement');
  await expect(page.getByRole('heading', { level: 1, name: 'Je porte un projet' })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Votre nom').fill('Camille Essai');
  await page.getByLabel('Votre adresse e-mail').fill(email);
  await page.getByLabel('Le projet en une ligne').fill(title);
  await page.getByLabel('Commune du projet').selectOption({ label: 'Grande-Synthe' });
  await page.getByLabel('Où en est le projet ?').selectOption({ label: 'Une idée' });
  // No need ticked: refused by the server, what was typed stays.
  await page.getByLabel('Votre projet', { exact: true }).fill('Une épicerie à petits prix tenue par le quartier.');
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await expect(page.getByText('Cochez au moins un besoin.').first()).toBeVisible();
  await expect(page.getByLabel('Le projet en une ligne')).toHaveValue(title);
  await page.getByLabel('Trouver un local').check();
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await expect(page.getByText('Ouvrez le lien que nous venons de vous envoyer')).toBeVisible();
  if (javaScriptEnabled) await page.waitForURL(/message=confirmez/);

  // The mailed link: one button confirms.
  const link = mailLink(email, '/accompagnement/suivi', 'jeton');
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('button', { name: 'Confirmer ma demande' }).click();
  await expect(page.getByText('votre adresse est confirmée')).toBeVisible();
  if (javaScriptEnabled) await page.waitForURL(/message=demande-confirmee/);

  // The advisor finds it in the queue and takes it.
  await logInTo(page, 'animation@entreprendre-ensemble.example', 'demo-club-dunkerquois', '/accompagnement/file');
  await expect(page.getByRole('heading', { level: 1, name: 'File des demandes d\'accompagnement' })).toBeVisible();
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(email)).toHaveCount(0);
  const requestUrl = new URL(page.url()).pathname;
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByRole('button', { name: 'Prendre cette demande' }).click();
  await expect(page.getByText('Vous suivez cette demande')).toBeVisible();
  if (javaScriptEnabled) {
    await page.waitForURL(/message=demande-prise/);
    await waitForIslands(page);
  }
  await page.getByLabel('Votre message').fill('Bonjour, passez nous voir jeudi à 10 h.');
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText('Votre message est envoyé.')).toBeVisible();
  if (javaScriptEnabled) await page.waitForURL(/message=message-envoye/);

  // The holder answers by the link of the mail that brought the message.
  await page.context().clearCookies();
  await page.goto(mailLink(email, '/accompagnement/suivi', 'jeton'));
  await expect(page.getByText('passez nous voir jeudi à 10 h')).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Votre message').fill('Merci, à jeudi !');
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByText('Votre message est envoyé.')).toBeVisible();
  if (javaScriptEnabled) await page.waitForURL(/message=message-envoye/);

  // The advisor closes it.
  await logInTo(page, 'animation@entreprendre-ensemble.example', 'demo-club-dunkerquois', requestUrl);
  await expect(page.getByText('Merci, à jeudi !')).toBeVisible();
  if (javaScriptEnabled) await waitForIslands(page);
  await page.getByLabel('Issue').selectOption({ label: 'Accompagnement engagé' });
  await page.getByRole('button', { name: 'Clore' }).click();
  await expect(page.getByText('La demande est close.')).toBeVisible();
  noErrors();
});
