// The staff console: a single page with hash routes, so the gateway only serves static files.
//   #/                 the establishment's prisoners
//   #/prisoners/{id}   one prisoner's contacts
//   #/contacts/{id}    one contact: state, what it allows, restrictions form, version history
// Each route change replaces #view, sets the document title and moves focus to the new page's
// heading, so keyboard and screen-reader users land where sighted users look.

import { api, onSessionEnded, signedIn } from '../assets/js/api.js';
import { h, replace, focusStatic } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';
import { errorNotice } from './common.js';
import { signInView } from './signin.js';
import { prisonersView, prisonerView } from './prisoners.js';
import { contactView } from './contact.js';

const STAFF_ROLES = ['OFFICER', 'FAMILY_WORKER', 'SECURITY', 'ADMIN'];

const app = {
  me: null,
  prisoners: new Map(), // prisoners seen in lists, by id, for names on later pages
  view: document.getElementById('view'),
  renderId: 0,
  current: () => false,

  /** Sets the tab title for the page being shown. */
  title(text) {
    document.title = text ? `${text} – ${t('title.suffix')}` : t('title.suffix');
  },

  /** Moves focus to the page's main heading after navigation. */
  focusHeading() {
    focusStatic(app.view.querySelector('h1'));
  },

  go(hash) {
    if (location.hash === hash) route(); else location.hash = hash;
  },
};

function whoLabel(me) {
  const name = me.name || me.display_name || me.email || me.account_id || '';
  const role = tOr(`signedin.role.${me.role}`, (me.role || '').toLowerCase());
  const est = me.establishment_name || (me.establishment && (me.establishment.name || me.establishment)) || '';
  return [name, [role, est].filter(Boolean).join(', ')].filter(Boolean).join(' – ');
}

function renderSession() {
  const host = document.getElementById('session');
  if (!app.me) {
    replace(host);
    return;
  }
  replace(host, h('p', { class: 'who' },
    h('span', { text: t('signedin.as', { who: whoLabel(app.me) }) }),
    h('button', { type: 'button', class: 'button-secondary', text: t('signout'), onClick: signOut })));
}

async function signOut() {
  await api.logout();
  app.me = null;
  app.prisoners.clear();
  renderSession();
  showSignIn(t('signin.signedout'), 'ok');
}

function showSignIn(message, kind) {
  // pages still loading when the session ended must not draw over the sign-in form
  app.renderId += 1;
  app.me = null;
  renderSession();
  signInView(app.view, app, { message, kind, onSignedIn: afterSignIn });
}

/** After a successful sign-in (or a resumed session): who am I, then the page the hash asks for. */
async function afterSignIn() {
  try {
    app.me = await api.me();
  } catch (e) {
    replace(app.view, errorNotice(e));
    return;
  }
  if (!STAFF_ROLES.includes(app.me.role)) {
    await api.logout();
    showSignIn(t('error.not.staff'), 'error');
    return;
  }
  renderSession();
  await route();
}

async function route() {
  if (!signedIn() || !app.me) {
    showSignIn();
    return;
  }
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return; // an in-page anchor, not a route
  const parts = hash.slice(2).split('/').map(decodeURIComponent);
  const id = ++app.renderId;
  // a slow answer for a page the user already left must not overwrite the newer page
  app.current = () => id === app.renderId;
  replace(app.view, h('p', { class: 'loading', role: 'status', text: t('loading') }));
  if (parts[0] === 'prisoners' && parts[1]) await prisonerView(app.view, app, parts[1]);
  else if (parts[0] === 'contacts' && parts[1]) await contactView(app.view, app, parts[1]);
  else await prisonersView(app.view, app);
}

function labelStatics() {
  document.getElementById('skip-link').textContent = t('skip');
  document.getElementById('brand').textContent = t('staff.title');
  // the skip link must not change the hash (that is the router's); it only moves focus
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    focusStatic(document.getElementById('main'));
  });
}

async function start() {
  labelStatics();
  onSessionEnded(() => showSignIn(t('error.session.ended'), 'warn'));
  window.addEventListener('hashchange', route);
  if (await api.resume()) await afterSignIn();
  else showSignIn();
}

start();
