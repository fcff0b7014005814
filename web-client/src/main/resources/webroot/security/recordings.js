// #/recordings — the establishment's call recordings (GET /api/v1/recordings, an inter-prison
// call's in both establishments): the call, who was in it by name, when, how long, how big, and
// whether it is held or was deleted after retention. Playing one asks for a reason first (the
// gateway audits it); the video is fetched with the bearer token and shown from a blob URL, so no
// token ever goes in a URL. A hold keeps the recording past its retention time.

import { authed, authedBlob } from '../assets/js/api.js';
import { h, replace, uid, formatInstant, focusStatic, announce } from '../assets/js/dom.js';
import { t } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import { errorNotice } from '../assets/js/errors.js';

const PAGE = 20;

function length(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  return s >= 60 ? t('rec.minutes', { m: Math.floor(s / 60), s: s % 60 }) : t('rec.seconds', { s });
}

function size(bytes) {
  const b = bytes || 0;
  if (b >= 1048576) return `${(b / 1048576).toFixed(1)} MB`;
  if (b >= 1024) return `${Math.round(b / 1024)} KB`;
  return `${b} bytes`;
}

function who(r) {
  return (r.participants || []).map((p) => p.name + (p.prison_number ? ` (${p.prison_number})` : '')).join(', ');
}

function kept(r) {
  if (r.deleted_at) return t('rec.deleted', { date: formatInstant(r.deleted_at) });
  if ((r.holds || []).length) return t('rec.held', { ests: r.holds.join(', ') });
  return t('rec.kept');
}

export async function recordingsView(host, app) {
  app.title(t('rec.title'));
  const body = h('tbody');
  const noticeHost = h('div');
  const player = h('section', { class: 'panel', id: 'recording-player', hidden: true, 'aria-labelledby': 'recording-player-title' });
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  let cursor = null;
  let url = null;

  function row(r) {
    const when = formatInstant(r.call_start);
    const play = h('button', { type: 'button', class: 'button-secondary', text: t('rec.play'),
      'aria-label': t('rec.play.of', { when }), disabled: !!r.deleted_at, onClick: () => open(r) });
    return h('tr', { dataset: { recording: r.id } },
      h('th', { scope: 'row', text: when }),
      h('td', { text: who(r) }),
      h('td', { text: length(r.seconds) }),
      h('td', { text: size(r.bytes) }),
      h('td', { text: kept(r) }),
      h('td', {}, play));
  }

  function open(r, said = '') {
    const when = formatInstant(r.call_start);
    const reasonId = uid('rec-reason');
    const reason = h('textarea', { id: reasonId, rows: '2', 'data-field': 'reason', 'aria-describedby': `${reasonId}-hint` });
    const top = h('div');
    const status = h('p', { class: 'meta', role: 'status', text: said });
    const videoHost = h('div');
    const form = h('form', { novalidate: true });
    const held = (r.holds || []).length > 0;
    const needReason = () => {
      clearErrors(form);
      const why = reason.value.trim();
      if (!why) showErrors(form, top, [{ field: 'reason', message: t('rec.reason.missing') }]);
      return why;
    };
    const start = async (e) => {
      e.preventDefault();
      const why = needReason();
      if (!why) return;
      status.textContent = t('rec.loading');
      try {
        const blob = await authedBlob(`/recordings/${encodeURIComponent(r.id)}?reason=${encodeURIComponent(why)}`);
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(blob);
        replace(videoHost, h('video', { id: 'recording-video', controls: true, preload: 'metadata', src: url,
          'aria-label': t('rec.video', { when }) }));
        status.textContent = t('rec.ready');
      } catch (err) {
        status.textContent = '';
        // the gateway streams the recording chunk by chunk: a connection cut part-way is no API answer
        showErrors(form, top, err && err.status !== undefined ? problemsOf(err) : [{ field: null, message: t('rec.cut') }]);
      }
    };
    const hold = async (on) => {
      const why = needReason();
      if (!why) return;
      try {
        const answer = await authed('PUT', `/calls/${encodeURIComponent(r.call_id)}/recordings/hold`, { held: on, reason: why });
        r.holds = answer.holds || [];
        await reload();
        open(r, t(on ? 'rec.held.done' : 'rec.unheld.done'));
        announce(t(on ? 'rec.held.done' : 'rec.unheld.done'));
      } catch (err) {
        showErrors(form, top, problemsOf(err));
      }
    };
    form.addEventListener('submit', start);
    replace(form, top,
      h('div', { class: 'field' }, h('label', { for: reasonId, text: t('rec.reason') }),
        h('p', { class: 'hint', id: `${reasonId}-hint`, text: t('rec.reason.hint') }), reason),
      h('div', { class: 'button-row' },
        h('button', { type: 'submit', class: 'button-primary', text: t('rec.start') }),
        h('button', { type: 'button', class: 'button-secondary', text: t(held ? 'rec.unhold' : 'rec.hold'), onClick: () => hold(!held) })));
    const title = h('h2', { id: 'recording-player-title', tabindex: '-1', text: t('rec.player.title', { when, names: who(r) }) });
    replace(player, title, form, status, videoHost);
    player.hidden = false;
    focusStatic(title);
  }

  async function load() {
    try {
      const page = await authed('GET', `/recordings?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (!app.current()) return;
      body.append(...(page.items || []).map(row));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      if (!body.children.length) body.append(h('tr', {}, h('td', { colspan: '6', text: t('rec.none') })));
    } catch (e) {
      if (!app.current()) return;
      replace(noticeHost, errorNotice(e));
    }
  }

  async function reload() {
    replace(body);
    cursor = null;
    await load();
  }

  more.addEventListener('click', load);
  await load();
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('rec.title') }),
    h('p', { text: t('rec.intro') }),
    noticeHost,
    h('div', { class: 'table-wrap' }, h('table', { class: 'stack', id: 'recordings-table' },
      h('caption', { class: 'visually-hidden', text: t('rec.caption') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('rec.col.call') }),
        h('th', { scope: 'col', text: t('rec.col.who') }),
        h('th', { scope: 'col', text: t('rec.col.length') }),
        h('th', { scope: 'col', text: t('rec.col.size') }),
        h('th', { scope: 'col', text: t('rec.col.state') }),
        h('th', { scope: 'col', text: t('rec.col.action') }))),
      body)),
    h('p', {}, more),
    player);
  app.focusHeading();
}
