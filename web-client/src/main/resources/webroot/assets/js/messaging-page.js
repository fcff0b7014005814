// The frame both the kiosk and the portal pages share: language switch, sign-in screen, the
// signed-in header, and handing over to the messaging screens. The page gives its own sign-in form.

import { h, replace, focusStatic } from './dom.js';
import { api, onSessionEnded } from './api.js';
import { t, language, setLanguage, applyLanguage, onLanguage } from './i18n.js';
import { startMessaging } from './messaging-ui.js';

/**
 * @param titleKey the product name key (kiosk.title / portal.title)
 * @param signInForm (done) => element: the page's sign-in form; it calls done() once signed in
 * @param sendPhotos true where the signed-in person may send photos (the portal)
 */
export function runPage({ titleKey, signInForm, sendPhotos = false }) {
  applyLanguage();
  const view = document.getElementById('view');
  const session = document.getElementById('session');
  const langButton = document.getElementById('lang');
  const brand = document.getElementById('brand');
  let running = null;

  function words() {
    langButton.textContent = t('lang.switch');
    langButton.setAttribute('lang', language() === 'cy' ? 'en-GB' : 'cy');
    brand.textContent = t(titleKey);
    document.getElementById('skip-link').textContent = t('skip');
    const out = document.getElementById('signout');
    if (out) out.textContent = t('signout');
  }

  langButton.addEventListener('click', () => setLanguage(language() === 'cy' ? 'en' : 'cy'));
  onLanguage(() => {
    words();
    if (!running) showSignIn(false);
  });

  function showSignIn(focus = true, notice = null) {
    document.title = `${t('signin.title')} – ${t(titleKey)}`;
    replace(session);
    replace(view, h('h1', { text: t('signin.title') }),
      notice && h('div', { class: 'notice', role: 'status' }, h('p', { text: notice })),
      signInForm(signedIn));
    if (focus) focusStatic(view.querySelector('h1'));
  }

  function signedIn() {
    const live = h('span', { class: 'live', id: 'live' });
    replace(session, h('p', { class: 'who' }, live,
      h('button', { type: 'button', class: 'button-secondary', id: 'signout', text: t('signout'), onClick: signOut })));
    running = startMessaging({ view, titleKey, liveEl: live, onEnded: () => ended(), sendPhotos });
  }

  async function signOut() {
    if (running) running.stop();
    running = null;
    await api.logout();
    showSignIn();
  }

  function ended() {
    if (running) running.stop();
    running = null;
    showSignIn(true, t('error.session'));
  }

  onSessionEnded(ended);
  words();
  api.resume().then((ok) => (ok ? signedIn() : showSignIn(false)));
}

/** A labelled input in a .field, with an optional hint. */
export function field(id, labelKey, attrs = {}, hintKey = null) {
  const hintId = hintKey ? `${id}-hint` : null;
  return h('div', { class: 'field' },
    h('label', { for: id, text: t(labelKey) }),
    hintKey && h('p', { class: 'hint', id: hintId, text: t(hintKey) }),
    h('input', { id, name: id, 'aria-describedby': hintId, ...attrs }));
}

/** The error box of a sign-in form (role=alert, focused). */
export function formError(form, message) {
  let box = form.querySelector('.error-summary');
  if (!box) {
    box = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' });
    form.prepend(box);
  }
  replace(box, h('p', { text: message }));
  box.focus();
}

/** What a failed sign-in says, in plain words. */
export function signInError(e) {
  if (e.status === 0) return t('error.network');
  if (e.status === 429) return t('signin.locked');
  if (e.code === 'DEVICE_NOT_ENROLLED') return t('signin.no.device');
  if (e.status === 401 || e.status === 400) return t('signin.wrong');
  return t('error.unexpected');
}
