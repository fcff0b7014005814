// #/reviews — messages held for review (GET /api/v1/reviews, from messaging), oldest first: who
// wrote to whom, why it was held (each rule in words), the text with the words that held it
// marked, and Release or Reject with a reason. A gateway without the queue says so plainly.

import { api } from '../assets/js/api.js';
import { h, replace, uid, focusStatic, announce } from '../assets/js/dom.js';
import { t } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import { errorNotice } from '../assets/js/errors.js';

/** "3 hours 5 minutes" for a number of seconds. */
export function waited(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return t('wait.days', { d, h: hr });
  if (hr) return t('wait.hours', { h: hr, m });
  return m ? t('wait.minutes', { m }) : t('wait.moment');
}

/** The body with each highlighted span in a <mark>, built as text nodes (never as markup). */
function marked(body, highlights) {
  const text = body || '';
  const spans = (highlights || []).filter((x) => x.start >= 0 && x.end > x.start && x.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out.push(text.slice(at, s.start), h('mark', { title: s.rule, text: text.slice(s.start, s.end) }));
    at = s.end;
  }
  out.push(text.slice(at));
  return h('blockquote', { class: 'held-body' }, out);
}

function partyName(p) {
  return p ? p.name || t('names.someone') : t('names.someone');
}

export async function reviewsView(host, app) {
  app.title(t('reviews.title'));
  const list = h('div', { class: 'reviews' });
  const status = h('p', { class: 'meta', role: 'status' });
  const noticeHost = h('div');
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  let cursor = null;
  let unavailable = false;

  function card(r) {
    const titleId = uid('rv');
    const reasonId = uid('rv-reason');
    const reason = h('textarea', { id: reasonId, rows: '2', 'data-field': 'reason', 'aria-describedby': `${reasonId}-hint` });
    const top = h('div');
    const form = h('form', { novalidate: true, 'aria-labelledby': titleId });
    const section = h('article', { class: 'panel review', 'aria-labelledby': titleId, dataset: { review: r.id } },
      h('h2', { id: titleId, text: t('reviews.item', { from: partyName(r.from), to: partyName(r.to) }) }),
      h('dl', { class: 'facts' },
        h('dt', { text: t('reviews.prisoner') }), h('dd', { text: r.prisoner ? `${r.prisoner.name} (${r.prisoner.prison_number})` : '' }),
        r.on_behalf_of ? [h('dt', { text: t('reviews.behalf') }), h('dd', { text: partyName(r.on_behalf_of) })] : null,
        h('dt', { text: t('reviews.waiting') }), h('dd', { text: waited(r.waiting_seconds) }),
        h('dt', { text: t('reviews.why') }), h('dd', {}, h('ul', { class: 'plain' }, (r.rules || []).map((x) => h('li', { text: x.text || x.rule }))))),
      h('h3', { text: t('reviews.message') }),
      marked(r.body, r.highlights),
      form);
    const decide = async (outcome) => {
      clearErrors(form);
      const why = reason.value.trim();
      if (outcome === 'REJECT' && !why) {
        showErrors(form, top, [{ field: 'reason', message: t('reviews.reason.missing') }]);
        return;
      }
      try {
        await api.decideReview(r.id, outcome, why || t('reviews.released.default'));
        const next = section.nextElementSibling;
        section.remove();
        const notice = h('div', { class: 'notice notice-ok', tabindex: '-1' },
          h('p', { text: t(outcome === 'RELEASE' ? 'reviews.released' : 'reviews.rejected', { from: partyName(r.from), to: partyName(r.to) }) }));
        replace(noticeHost, notice);
        if (next && next.querySelector('h2')) focusStatic(next.querySelector('h2')); else focusStatic(notice);
        announce(notice.textContent);
      } catch (e) {
        showErrors(form, top, problemsOf(e));
      }
    };
    replace(form,
      top,
      h('div', { class: 'field' }, h('label', { for: reasonId, text: t('reviews.reason') }),
        h('p', { class: 'hint', id: `${reasonId}-hint`, text: t('reviews.reason.hint') }), reason),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button-primary', text: t('reviews.release'), onClick: () => decide('RELEASE') }),
        h('button', { type: 'button', class: 'button-danger', text: t('reviews.reject'), onClick: () => decide('REJECT') })));
    form.addEventListener('submit', (e) => e.preventDefault());
    return section;
  }

  async function load() {
    try {
      const page = await api.reviews(cursor);
      if (!app.current()) return;
      list.append(...(page.items || []).map(card));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      const c = page.counts || {};
      status.textContent = (page.items || []).length || list.children.length
        ? t('reviews.count', { n: c.waiting !== undefined ? c.waiting : list.children.length, oldest: waited(c.oldest_waiting_seconds) })
        : t('reviews.none');
    } catch (e) {
      if (!app.current()) return;
      if (e.status === 404 || e.status === 501) {
        unavailable = true;
        replace(noticeHost, h('div', { class: 'notice notice-warn' }, h('p', { text: t('reviews.unavailable') })));
      } else {
        replace(noticeHost, errorNotice(e));
      }
    }
  }
  more.addEventListener('click', load);
  await load();
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('reviews.title') }),
    h('p', { text: t('reviews.intro') }),
    noticeHost,
    unavailable ? null : status,
    list,
    h('p', {}, more));
  app.focusHeading();
}
