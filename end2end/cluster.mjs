// The newcomer's journeys through the reverse proxy of `scripts/cluster.sh`, in Chromium with
// JavaScript off (plain forms, the way every page must work), until the file DIR/stop exists:
//   - visitors (VISITORS workers): the home page, a search from its form, an entry's page, an
//     event's page and a guest registration by its form;
//   - a club admin (one worker): logs in, names a member of the club administrator or takes the
//     role back in the membership page, logs out.
// Every page load (a form's answer included) is counted under the phase written in DIR/phase
// when it started, with its method and whether it failed (an error status, no answer, or not the
// page the journey expects). Writes DIR/journeys.json: the counts by phase, and the guest
// addresses and club decisions that were answered, for the database check that follows.
//   node cluster.mjs http://127.0.0.1:PORT DIR
import { chromium } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const [base, dir] = process.argv.slice(2);
if (!base || !dir) throw new Error('usage: node cluster.mjs http://127.0.0.1:PORT DIR');
const visitors = Number(process.env.VISITORS ?? 2);
const CLUB = '/clubs/club-de-l-ess-du-dunkerquois';
const ADMIN = ['animation@entreprendre-ensemble.example', 'demo-club-dunkerquois'];
const WORDS = ['recyclage', 'insertion', 'culture', 'alimentation', 'emploi', 'mobilité'];
const tag = Date.now().toString(36);

const phase = () => {
  try { return fs.readFileSync(path.join(dir, 'phase'), 'utf8').trim() || 'start'; } catch { return 'start'; }
};
const stopped = () => fs.existsSync(path.join(dir, 'stop'));
const counts = {};
const count = (name) => (counts[name] ??= { loads: 0, posts: 0, failed: 0, failedPosts: 0, failures: [] });
const registered = [];
const registrationsFailed = [];
const decisions = { answered: 0, failed: 0 };

/** One page load or form answer, counted: `action` starts it, `check` says the page is the one
 *  expected. A failure is counted once, with what went wrong, and the journey goes on. */
async function load(page, method, what, action, check) {
  const name = phase();
  const c = count(name);
  c.loads += 1;
  if (method === 'POST') c.posts += 1;
  try {
    const response = await action();
    const status = response ? response.status() : 0;
    if (status >= 400) throw new Error(`status ${status}`);
    if (check) await check();
    return true;
  } catch (error) {
    c.failed += 1;
    if (method === 'POST') c.failedPosts += 1;
    c.failures.push(`${method} ${what}: ${String(error.message ?? error).split('\n')[0]}`);
    return false;
  }
}

/** Submits a form by its button and waits for the page that answers. */
async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ timeout: 15_000 }), button.click()]);
  return response;
}

async function visitor(browser, n) {
  const page = await browser.newPage({ javaScriptEnabled: false, locale: 'fr-FR' });
  page.setDefaultTimeout(15_000);
  let round = 0;
  while (!stopped()) {
    round += 1;
    const word = WORDS[(n + round) % WORDS.length];
    await load(page, 'GET', '/', () => page.goto(`${base}/`));
    await load(page, 'GET', `recherche ${word}`, async () => {
      await page.getByLabel("Chercher un acteur de l'ESS").fill(word);
      return submit(page, page.getByRole('button', { name: 'Rechercher' }));
    }, async () => {
      if (!page.url().includes('/annuaire')) throw new Error(`landed on ${page.url()}`);
    });
    await load(page, 'GET', 'fiche', () => page.goto(`${base}/annuaire/les-courses-asteur`));
    await load(page, 'GET', 'événement', () => page.goto(`${base}/evenements/${EVENT}`));
    const email = `grappe-${tag}-${n}-${round}@exemple.fr`;
    const ok = await load(page, 'POST', 'inscription', async () => {
      await page.getByLabel('Nom et prénom').fill(`Visiteur ${n} ${round}`);
      await page.getByLabel('Adresse e-mail').fill(email);
      return submit(page, page.getByRole('button', { name: /M'inscrire/ }).first());
    }, async () => {
      if (!(await page.getByText('Un e-mail vient de vous être envoyé').count())) throw new Error('no confirmation message');
    });
    (ok ? registered : registrationsFailed).push(email);
  }
  await page.close();
}

async function clubAdmin(browser) {
  let person = null;
  while (!stopped()) {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const members = `${CLUB}/membres`;
    await load(page, 'GET', 'connexion', () => page.goto(`${base}/connexion?suivant=${encodeURIComponent(members)}`));
    const logged = await load(page, 'POST', 'connexion', async () => {
      await page.getByLabel('Adresse e-mail').fill(ADMIN[0]);
      await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN[1]);
      return submit(page, page.getByRole('button', { name: 'Se connecter' }));
    }, async () => {
      if (new URL(page.url()).pathname !== members) throw new Error(`landed on ${page.url()}`);
    });
    if (logged) {
      if (!person) {
        const label = await page.getByRole('button', { name: /^Nommer administrateur : / }).first().textContent();
        person = label.replace(/^Nommer administrateur\s*:\s*/, '').trim();
      }
      const name = (action) => `${action} : ${person}`;
      const naming = await page.getByRole('button', { name: name('Nommer administrateur'), exact: true }).count();
      const [button, after] = naming
        ? [name('Nommer administrateur'), name("Retirer le rôle d'administrateur")]
        : [name("Retirer le rôle d'administrateur"), name('Nommer administrateur')];
      const ok = await load(page, 'POST', 'décision du club', () =>
        submit(page, page.getByRole('button', { name: button, exact: true })), async () => {
        if (!(await page.getByRole('button', { name: after, exact: true }).count())) throw new Error('the role did not change');
      });
      decisions[ok ? 'answered' : 'failed'] += 1;
      await load(page, 'POST', 'déconnexion', () => submit(page, page.getByRole('button', { name: 'Déconnexion' })));
    }
    await context.close();
    // Every login goes through the proxy from one address: a round every two seconds or so
    // stays within its allowance (20 logins in 15 minutes) for a run of 30 s.
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return person;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
/** The first upcoming event of the calendar that takes a guest with a name and an address. */
async function openEvent() {
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(`${base}/evenements`);
  const links = await page.locator('main a[href^="/evenements/"]').evaluateAll(
    (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
  for (const href of links) {
    if (!/^\/evenements\/[a-z0-9-]+$/.test(href)) continue;
    await page.goto(`${base}${href}`);
    if (await page.getByLabel('Nom et prénom').count() && await page.getByRole('button', { name: /M'inscrire/ }).count()) {
      await page.close();
      return href.split('/')[2];
    }
  }
  throw new Error('no event open to guests on /evenements');
}
const EVENT = await openEvent();
const [person] = await Promise.all([
  clubAdmin(browser),
  ...Array.from({ length: visitors }, (_, n) => visitor(browser, n)),
]);
await browser.close();
fs.writeFileSync(path.join(dir, 'journeys.json'), JSON.stringify({
  tag, visitors, counts, registered, registrationsFailed, decisions, person,
}, null, 2));
for (const [name, c] of Object.entries(counts)) {
  console.log(`${name}: ${c.loads} pages (${c.posts} forms), ${c.failed} failed (${c.failedPosts} forms)`);
  for (const failure of c.failures) console.log(`  ${failure}`);
}
