// The frame every console shares: sign-in, who is signed in, the console's navigation, hash routes
// and the pages for an unknown route or the wrong console. A console (staff, security) gives its
// name, the roles it serves, its navigation and its routes; pages are functions that draw into
// app.view. Another console page (reviews, live calls, recordings) is one more route and one more
// navigation entry.
//
// Each route change replaces #view, sets the document title and moves focus to the new page's
// heading, so keyboard and screen-reader users land where sighted users look. A slow answer for a
// page the user already left never draws over the newer page (app.current()).

import { api, onSessionEnded, signedIn, passwordChangeRequired } from './api.js';
import { h, replace, focusStatic } from './dom.js';
import { t, tOr } from './strings.js';
import { errorNotice } from './errors.js';
import { signInView } from './signin.js';
import { passwordChangeView, passwordChangedNotice } from './password-change.js';

export const STAFF_ROLES = ['OFFICER', 'FAMILY_WORKER', 'SECURITY', 'ADMIN'];

/** Which console serves a role, for the home page and a sign-in at the wrong console. */
export const CONSOLE_OF = {
  OFFICER: 'staff', FAMILY_WORKER: 'staff', ADMIN: 'staff', SECURITY: 'security', PRISONER: 'kiosk', OUTSIDE: 'portal',
};

const exists = new Map();

/**
 * Whether a client is served here yet (the kiosk and portal come with their own issues): never
 * link to a page that answers 404.
 */
export function served(path) {
  if (!exists.has(path)) {
    exists.set(path, fetch(path, { method: 'HEAD', cache: 'no-store', credentials: 'omit' })
      .then((r) => r.ok).catch(() => false));
  }
  return exists.get(path);
}

/** "Go to the kiosk" as a link when it is served, or "the kiosk is coming" when not. */
export async function whereToGo(role) {
  const target = CONSOLE_OF[role];
  if (!target) return h('p', { text: t('wrong.unknown') });
  const path = `/${target}/`;
  if (await served(path)) {
    return h('p', {}, t(`wrong.go.${target}`), ' ', h('a', { href: path, text: t(`console.${target}`) }), '.');
  }
  return h('p', { text: t(`wrong.coming.${target}`) });
}

function whoLabel(me) {
  const name = me.name || me.display_name || me.email || me.account_id || '';
  const role = tOr(`signedin.role.${me.role}`, (me.role || '').toLowerCase());
  const est = me.establishment_name || (me.establishment && (me.establishment.name || me.establishment)) || '';
  return [name, [role, est].filter(Boolean).join(', ')].filter(Boolean).join(' – ');
}

/**
 * Starts a console. `config`: {key, roles, nav: [{href, key, roles?}], routes: [{match(parts), view(host, app, parts)}]}.
 * The first route whose match() is true draws the page; none matching shows the "page not found" page.
 */
export function startConsole(config) {
  const app = {
    key: config.key,
    me: null,
    prisoners: new Map(), // prisoners seen in lists, by id, for names on later pages
    view: document.getElementById('view'),
    renderId: 0,
    current: () => false,

    /** Sets the tab title for the page being shown. */
    title(text) {
      const suffix = t(`console.${config.key}.title`);
      document.title = text ? `${text} – ${suffix}` : suffix;
    },

    /** Moves focus to the page's main heading after navigation. */
    focusHeading() {
      focusStatic(app.view.querySelector('h1'));
    },

    go(hash) {
      if (location.hash === hash) route(); else location.hash = hash;
    },

    /** True when the signed-in member of staff has one of these roles. */
    is(...roles) {
      return !!app.me && roles.includes(app.me.role);
    },
  };

  function renderSession() {
    const host = document.getElementById('session');
    const navHost = document.getElementById('console-nav');
    if (!app.me) {
      replace(host);
      if (navHost) replace(navHost);
      return;
    }
    replace(host, h('p', { class: 'who' },
      h('span', { text: t('signedin.as', { who: whoLabel(app.me) }) }),
      h('button', { type: 'button', class: 'button-secondary', text: t('signout'), onClick: signOut })));
    if (navHost) {
      const items = config.nav.filter((n) => !n.roles || n.roles.includes(app.me.role));
      replace(navHost, h('ul', {}, items.map((n) => h('li', {}, h('a', { href: n.href, text: t(n.key), dataset: { nav: n.href } })))));
      markNav();
    }
  }

  function markNav() {
    const hash = location.hash || '#/';
    document.querySelectorAll('#console-nav a').forEach((a) => {
      const href = a.dataset.nav;
      const active = href === '#/' ? hash === '#/' || hash === '#' : hash.startsWith(href);
      if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
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

  /** A member of staff at a console that is not theirs: say which one is, and stay signed in. */
  async function wrongConsole() {
    app.renderId += 1;
    app.title(t('wrong.title'));
    replace(app.view,
      h('h1', { text: t('wrong.title') }),
      h('p', { text: t(`wrong.${config.key}.for`) }),
      await whereToGo(app.me.role));
    app.focusHeading();
  }

  /**
   * A sign-in with a password someone else gave opens a session that may only change it: the page
   * for that, then the console as after any sign-in.
   */
  function choosePassword() {
    app.renderId += 1;
    app.me = null;
    renderSession();
    passwordChangeView(app.view, {
      t,
      setTitle: (text) => app.title(text),
      onChanged: async () => {
        await afterSignIn();
        const heading = app.view.querySelector('h1');
        if (heading) heading.after(passwordChangedNotice(t));
      },
      onSignOut: signOut,
    });
  }

  /** After a successful sign-in (or a resumed session): who am I, then the page the hash asks for. */
  async function afterSignIn() {
    if (passwordChangeRequired()) {
      choosePassword();
      return;
    }
    try {
      app.me = await api.me();
    } catch (e) {
      replace(app.view, errorNotice(e));
      return;
    }
    if (!STAFF_ROLES.includes(app.me.role)) {
      // not staff: this session is no use here; say where their own page is (or that it is coming)
      const role = app.me.role;
      await api.logout();
      showSignIn(t('error.not.staff'), 'error');
      const where = await whereToGo(role);
      const notice = app.view.querySelector('.notice');
      if (notice) notice.append(where);
      return;
    }
    renderSession();
    if (!config.roles.includes(app.me.role)) {
      await wrongConsole();
      return;
    }
    await route();
  }

  function notFound() {
    app.title(t('notfound.title'));
    replace(app.view,
      h('h1', { text: t('notfound.title') }),
      h('p', { text: t('notfound.route') }),
      h('p', {}, h('a', { href: '#/', text: t('notfound.home', { console: t(`console.${config.key}`) }) })));
    app.focusHeading();
  }

  async function route() {
    if (passwordChangeRequired()) {
      choosePassword();
      return;
    }
    if (!signedIn() || !app.me) {
      showSignIn();
      return;
    }
    if (!config.roles.includes(app.me.role)) {
      await wrongConsole();
      return;
    }
    const hash = location.hash || '#/';
    if (!hash.startsWith('#/')) return; // an in-page anchor, not a route
    markNav();
    const parts = hash.slice(2).split('?')[0].split('/').filter((p, i) => p !== '' || i === 0).map(decodeURIComponent);
    const params = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
    const id = ++app.renderId;
    app.current = () => id === app.renderId;
    replace(app.view, h('p', { class: 'loading', role: 'status', text: t('loading') }));
    const found = config.routes.find((r) => r.match(parts, app));
    if (found) await found.view(app.view, app, parts, params);
    else notFound();
  }

  /**
   * The frame around #main that every console page has: skip link, header with the console's name
   * and who is signed in, the navigation, and the polite live region announce() speaks through. A
   * console's HTML holds only <main> (and what to say without JavaScript); the frame is made here.
   */
  function drawFrame() {
    const skip = document.getElementById('skip-link') || h('a', { class: 'skip-link', id: 'skip-link', href: '#main' });
    skip.textContent = t('skip');
    // the skip link must not change the hash (that is the router's); it only moves focus
    skip.addEventListener('click', (e) => {
      e.preventDefault();
      focusStatic(document.getElementById('main'));
    });
    if (!document.getElementById('brand')) {
      document.body.prepend(skip, h('header', { class: 'site-header' },
        h('div', { class: 'wrap' },
          h('a', { class: 'brand', id: 'brand', href: `/${config.key}/#/` }),
          h('div', { id: 'session' })),
        h('nav', { class: 'console-nav', 'aria-label': t('console.nav') }, h('div', { class: 'wrap', id: 'console-nav' }))));
    }
    document.getElementById('brand').textContent = t(`console.${config.key}.title`);
    if (!document.getElementById('live-status')) {
      document.body.append(h('div', {
        id: 'live-status', class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true',
      }));
    }
  }

  (async () => {
    drawFrame();
    onSessionEnded(() => showSignIn(t('error.session.ended'), 'warn'));
    window.addEventListener('hashchange', route);
    if (await api.resume({ allowPasswordChange: true })) await afterSignIn();
    else showSignIn();
  })();
  return app;
}
