// The "Calls" part of the kiosk and the portal: upcoming calls with who is in them, a join button
// that lights up when the call opens, booking a call on one of my contacts, and (portal) a one-time
// join link for the child I am with. It waits for the page's sign-in, then uses the same session.

import { h, replace } from '../dom.js';
import { authed, authedUpload, signedIn, currentAccessToken } from '../api.js';
import { language } from '../i18n.js';
import { startCall } from './call.js';

const WORDS = {
  en: { title: 'Calls', none: 'No calls booked.', join: 'Join the call', opens: 'Opens at {t}', book: 'Book a call',
    contact: 'Who with', start: 'Start (UK time)', minutes: 'Minutes', booked: 'Booked.', link: 'Make a join link for the child',
    linkMade: 'Give this link to the child: {u}', with: 'With {names}', next: 'Free times: {times}',
    waiting: 'Waiting for {names}' },
  cy: { title: 'Galwadau', none: 'Dim galwadau wedi’u trefnu.', join: 'Ymuno â’r alwad', opens: 'Yn agor am {t}', book: 'Trefnu galwad',
    contact: 'Gyda phwy', start: 'Dechrau (amser y DU)', minutes: 'Munudau', booked: 'Wedi’i drefnu.', link: 'Gwneud dolen ymuno i’r plentyn',
    linkMade: 'Rhowch y ddolen hon i’r plentyn: {u}', with: 'Gyda {names}', next: 'Amseroedd rhydd: {times}',
    waiting: 'Yn aros am {names}' },
};
const say = (k, v = {}) => (WORDS[language()] || WORDS.en)[k].replace(/\{(\w+)\}/g, (m, n) => (n in v ? String(v[n]) : m));
const time = (iso) => new Date(iso).toLocaleString(language() === 'cy' ? 'cy-GB' : 'en-GB',
  { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Mounts the section in `root`; `portal` adds join links. */
export function mountCalls(root, { portal = false } = {}) {
  let me = null;
  let inCall = false;
  const list = h('ul', { id: 'calls-list' });
  const notice = h('p', { id: 'calls-notice', role: 'status' });
  const form = h('form', { id: 'calls-book', novalidate: true, onSubmit: book });
  const callArea = h('div', { id: 'call-area' });

  async function refresh() {
    if (inCall) return;
    if (!signedIn()) {
      replace(root);
      return;
    }
    if (!root.firstChild) {
      replace(root, h('h2', { id: 'calls-title', text: say('title') }), notice, list, form, callArea);
      me = await authed('GET', '/me').catch(() => null);
      drawForm();
    }
    const calls = await authed('GET', '/calls').catch(() => ({ items: [] }));
    const open = calls.items.filter((c) => !['ENDED', 'CANCELLED', 'REJECTED'].includes(c.state));
    replace(list, ...(open.length ? open.map(item) : [h('li', { text: say('none') })]));
  }

  function item(c) {
    const mine = me && (me.person_id || me.prisoner_id || me.id);
    const names = c.participants.filter((p) => p.id !== mine).map((p) => p.name).join(', ');
    const join = h('button', { type: 'button', class: 'button-primary button-big', text: say('join'),
      disabled: !c.can_join, onClick: () => enter(c) });
    const parts = [h('strong', { text: time(c.start) }), h('span', { text: say('with', { names }) }),
      c.can_join ? join : h('span', { text: say('opens', { t: time(c.opens_at) }) })];
    if (c.waiting_for && c.waiting_for.length) {
      // a SUPERVISED call is not live until its supervisor is in: say whom it waits for
      parts.push(h('span', { class: 'call-waiting', text: say('waiting', { names: c.waiting_for.join(', ') }) }));
    }
    if (portal && c.participants.some((p) => p.kind === 'CHILD')) {
      parts.push(h('button', { type: 'button', class: 'button-secondary', text: say('link'), onClick: () => link(c) }));
    }
    return h('li', { 'data-call': c.id }, ...parts);
  }

  function drawForm() {
    const contacts = (me && Array.isArray(me.contacts) ? me.contacts : []).filter((c) => c.state === 'APPROVED' || !c.state);
    const select = h('select', { id: 'calls-contact', name: 'contact' },
      ...contacts.map((c) => h('option', { value: c.id, text: (c.with && c.with.name) || c.name || c.relationship || c.id })));
    replace(form, h('h3', { text: say('book') }),
      h('div', { class: 'field' }, h('label', { for: 'calls-contact', text: say('contact') }), select),
      h('div', { class: 'field' }, h('label', { for: 'calls-start', text: say('start') }),
        h('input', { id: 'calls-start', type: 'datetime-local', required: true })),
      h('div', { class: 'field' }, h('label', { for: 'calls-minutes', text: say('minutes') }),
        h('input', { id: 'calls-minutes', type: 'number', min: '5', max: '240', value: '30' })),
      h('button', { type: 'submit', class: 'button-primary', text: say('book') }));
  }

  async function book(e) {
    e.preventDefault();
    const start = new Date(form.querySelector('#calls-start').value);
    try {
      await authed('POST', '/calls', { contact_id: form.querySelector('#calls-contact').value,
        start: start.toISOString(), duration: Number(form.querySelector('#calls-minutes').value) });
      notice.textContent = say('booked');
      refresh();
    } catch (err) {
      const free = (err.details && err.details.next_free) || [];
      notice.textContent = err.message + (free.length ? ' ' + say('next', { times: free.map((f) => time(f.start)).join(', ') }) : '');
    }
  }

  async function link(c) {
    try {
      const made = await authed('POST', `/calls/${encodeURIComponent(c.id)}/join-links`, {});
      notice.textContent = say('linkMade', { u: location.origin + made.url });
    } catch (err) {
      notice.textContent = err.message;
    }
  }

  async function enter(c) {
    try {
      const answer = await authed('POST', `/calls/${encodeURIComponent(c.id)}/join`, {});
      inCall = true;
      startCall({ root: callArea, join: answer.join, backend: answer.backend, socketToken: currentAccessToken(), lang: language(),
        uploadChunk: (seq, slice, mime) => authedUpload(`/calls/${encodeURIComponent(c.id)}/recording/chunks?seq=${seq}`
          + `&mime=${encodeURIComponent(mime)}`, slice),
        onEnd: () => { inCall = false; setTimeout(refresh, 1500); } });
    } catch (err) {
      notice.textContent = err.message;
    }
  }

  setInterval(refresh, 5000);
  setTimeout(refresh, 500);
}
