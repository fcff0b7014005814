// #/ — the security console's front page: what waits for a person, and where each job is.

import { api } from '../assets/js/api.js';
import { h, replace } from '../assets/js/dom.js';
import { t } from '../assets/js/strings.js';
import { waited } from './reviews.js';

export async function overviewView(host, app) {
  app.title(t('sec.overview.title'));
  const since = new Date(Date.now() - 86400000).toISOString();
  const [reviews, locks] = await Promise.all([
    api.reviews(null, 1).catch(() => null),
    api.audit({ action: 'auth.lock', from: since }, null, 1000).catch(() => null),
  ]);
  if (!app.current()) return;
  const waiting = reviews && reviews.counts ? reviews.counts.waiting : reviews ? (reviews.items || []).length : null;
  const lockCount = locks ? (locks.entries || locks.items || []).length : null;
  const card = (href, title, line) => h('li', { class: 'panel card' }, h('h2', {}, h('a', { href, text: title })), h('p', { text: line }));
  replace(host,
    h('h1', { text: t('sec.overview.title') }),
    h('p', { text: t('sec.overview.intro') }),
    h('ul', { class: 'cards' },
      card('#/reviews', t('sec.nav.reviews'), waiting === null ? t('reviews.unavailable.short')
        : waiting ? t('sec.overview.reviews', { n: waiting, oldest: waited(reviews.counts && reviews.counts.oldest_waiting_seconds) }) : t('reviews.none')),
      card('#/signins', t('sec.nav.signins'), lockCount === null ? t('error.check') : t('sec.overview.locks', { n: lockCount })),
      card('#/audit', t('sec.nav.audit'), t('sec.overview.audit')),
      card('#/verify', t('sec.nav.verify'), t('sec.overview.verify'))));
  app.focusHeading();
}
