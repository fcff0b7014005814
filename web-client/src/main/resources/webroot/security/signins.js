// #/signins — failed sign-ins and lockouts of the establishment over a period (default the last
// 7 days), newest first, read from the audit log. A kiosk lock can be lifted from here.

import { api } from '../assets/js/api.js';
import { h, replace, timeEl, formatInstant, focusStatic } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';
import { errorNotice } from '../assets/js/errors.js';
import { prisonerName, actorLabel } from './names.js';

const PAGE = 1000;

/** Every entry of one action in the period, up to a bound (a period with more says so). */
async function entriesOf(action, from) {
  const out = [];
  let cursor = null;
  let pages = 0;
  do {
    const page = await api.audit({ action, from }, cursor, PAGE);
    out.push(...(page.items || []));
    cursor = page.next_cursor || null;
    pages += 1;
  } while (cursor && pages < 5);
  return { items: out, cut: !!cursor };
}

async function nameOf(e) {
  const d = e.details || {};
  if (e.prisoner_id) return prisonerName(e.prisoner_id);
  if (d.prison_number) return t('names.prisoner', { number: d.prison_number });
  if (d.email) return d.email;
  return e.actor ? actorLabel(e.actor) : '';
}

export async function signInsView(host, app) {
  app.title(t('signins.title'));
  const from = new Date(Date.now() - 7 * 86400000).toISOString();
  const started = performance.now();
  let locks;
  let ended;
  let logins;
  let kiosks;
  try {
    [locks, ended, logins, kiosks] = await Promise.all([
      entriesOf('auth.lock', from), entriesOf('auth.lock_ended', from), entriesOf('auth.login', from), entriesOf('auth.kiosk', from),
    ]);
  } catch (e) {
    if (!app.current()) return;
    replace(host, h('h1', { text: t('signins.title') }), errorNotice(e));
    app.focusHeading();
    return;
  }
  if (!app.current()) return;
  const endedAfter = (lock) => ended.items.find((x) => x.seq > lock.seq && x.actor_id === lock.actor_id);
  const lockRows = await Promise.all(locks.items.slice().reverse().map(async (e) => {
    const end = endedAfter(e);
    const d = e.details || {};
    const stillLocked = !end && d.until && new Date(d.until) > new Date();
    const liftHost = h('div');
    if (stillLocked && e.prisoner_id) {
      liftHost.append(h('button', {
        type: 'button', class: 'button-secondary', text: t('signins.lift'),
        onClick: async (ev) => {
          try {
            const r = await api.unlockPrisoner(e.prisoner_id);
            const n = h('p', { class: 'notice notice-ok', tabindex: '-1', text: r.lifted ? t('signins.lifted') : t('signins.notlocked') });
            replace(liftHost, n);
            focusStatic(n);
          } catch (err) {
            replace(liftHost, errorNotice(err));
          }
          return ev;
        },
      }));
    }
    return h('tr', {},
      h('td', {}, timeEl(e.at)),
      h('th', { scope: 'row', text: await nameOf(e) }),
      h('td', { text: e.action === 'auth.lock' && (d.prison_number || e.prisoner_id) ? t('signins.kiosk') : t('signins.password') }),
      h('td', {}, end ? t('signins.ended', { when: formatInstant(end.at) }) : stillLocked ? t('signins.until', { when: formatInstant(d.until) }) : t('signins.expired')),
      h('td', {}, liftHost));
  }));
  const failures = logins.items.concat(kiosks.items).filter((e) => e.outcome !== 'OK' && e.outcome !== 'OTP_REQUIRED')
    .sort((a, b) => b.seq - a.seq);
  const failRows = await Promise.all(failures.slice(0, 500).map(async (e) => {
    const d = e.details || {};
    return h('tr', {},
      h('td', {}, timeEl(e.at)),
      h('th', { scope: 'row', text: await nameOf(e) }),
      h('td', { text: e.action === 'auth.kiosk' ? t('signins.kiosk.at', { device: d.device_id || '?' }) : t('signins.password') }),
      h('td', { text: tOr(`audit.reason.${d.reason}`, d.reason || tOr(`audit.outcome.${e.outcome}`, e.outcome)) }));
  }));
  const ms = Math.round(performance.now() - started);
  replace(host,
    h('h1', { text: t('signins.title') }),
    h('p', { text: t('signins.intro') }),
    h('section', { class: 'panel', 'aria-labelledby': 'locks-title' },
      h('h2', { id: 'locks-title', text: t('signins.locks') }),
      lockRows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack', id: 'locks-table' },
        h('caption', { class: 'visually-hidden', text: t('signins.locks') }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: t('signins.col.when') }),
          h('th', { scope: 'col', text: t('signins.col.who') }),
          h('th', { scope: 'col', text: t('signins.col.how') }),
          h('th', { scope: 'col', text: t('signins.col.state') }),
          h('th', { scope: 'col', text: t('signins.col.action') }))),
        h('tbody', {}, lockRows))) : h('p', { text: t('signins.locks.none') }),
      locks.cut ? h('p', { class: 'meta', text: t('signins.cut') }) : null),
    h('section', { class: 'panel', 'aria-labelledby': 'fails-title' },
      h('h2', { id: 'fails-title', text: t('signins.failures') }),
      failRows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack', id: 'failures-table', dataset: { ms: String(ms) } },
        h('caption', { class: 'visually-hidden', text: t('signins.failures') }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: t('signins.col.when') }),
          h('th', { scope: 'col', text: t('signins.col.who') }),
          h('th', { scope: 'col', text: t('signins.col.how') }),
          h('th', { scope: 'col', text: t('signins.col.why') }))),
        h('tbody', {}, failRows))) : h('p', { text: t('signins.failures.none') }),
      logins.cut || kiosks.cut || failures.length > 500 ? h('p', { class: 'meta', text: t('signins.cut') }) : null));
  app.focusHeading();
}
