// The conversations and the message thread, shared by the kiosk and the family portal: the list of
// people I may write to, one thread with each message's state in words, writing and sending (a
// retry of one message reuses its client id, so it is never sent twice), what is left to send
// today, and live updates over the socket. Every word comes from i18n.js.

import { h, replace, focusStatic, announce } from './dom.js';
import { t, language, onLanguage } from './i18n.js';
import { messaging, newClientId, liveSocket } from './messaging-api.js';

const timeFormat = () => new Intl.DateTimeFormat(language() === 'cy' ? 'cy-GB' : 'en-GB', {
  weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London',
});

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : timeFormat().format(d);
}

/** Why a send was refused, in the page's language: the policy's user-safe code, else the server's words. */
function whyNotSent(e) {
  const reasons = (e.details && e.details.decision && e.details.decision.reasons) || [];
  const codes = [...reasons.map((r) => r.rule), e.code];
  for (const code of codes) {
    const text = t(`deny.${code}`);
    if (text !== `deny.${code}`) return text;
  }
  return e.message;
}

/**
 * Runs the messaging screens in `view`. `titleKey` names the product for the page title;
 * `onEnded` is called when the session ends (revoked, or the refresh was refused).
 */
export function startMessaging({ view, titleKey, onEnded, liveEl }) {
  const state = { list: [], thread: null, live: false, draft: '', pending: null, error: null, sending: false };

  const setTitle = (page) => {
    document.title = `${page} – ${t(titleKey)}`;
  };

  function showLive() {
    if (liveEl) liveEl.textContent = state.live ? t('live.on') : t('live.off');
  }

  // ------------------------------------------------------------ the list

  async function openList(focus = true) {
    state.thread = null;
    try {
      const r = await messaging.conversations();
      state.list = r.items;
    } catch (e) {
      return failed(e);
    }
    drawList();
    if (focus) focusStatic(view.querySelector('h1'));
  }

  function drawList() {
    setTitle(t('list.title'));
    const items = state.list.map((c) => {
      const sub = c.on_behalf_of ? t('list.for.child', { child: c.on_behalf_of.name })
        : (c.held_by ? t('list.held.by', { adult: c.held_by.name }) : null);
      return h('li', {},
        h('button', { type: 'button', class: 'conversation', dataset: { contact: c.contact_id }, onClick: () => openThread(c) },
          h('span', { class: 'conversation-name', text: c.with.name }),
          sub && h('span', { class: 'conversation-sub', text: sub }),
          c.unread > 0 && h('span', { class: 'badge', text: t('list.unread', { n: c.unread }) })));
    });
    replace(view,
      h('h1', { text: t('list.title') }),
      items.length ? h('ul', { class: 'conversations' }, items) : h('p', { text: t('list.empty') }));
  }

  // ------------------------------------------------------------ one thread

  async function openThread(c) {
    state.thread = { contact: c, messages: new Map(), cursor: null, remaining: c.remaining_today };
    state.draft = '';
    state.error = null;
    state.pending = null;
    await catchUp(true);
    drawThread();
    focusStatic(view.querySelector('h1'));
  }

  async function catchUp(first) {
    const th = state.thread;
    if (!th) return;
    try {
      const r = await messaging.messages(th.contact.contact_id, first ? null : th.cursor);
      r.items.forEach((m) => th.messages.set(m.id, m));
      th.cursor = r.next_cursor;
    } catch (e) {
      if (e.status === 404) return openList();
      return failed(e);
    }
    readAll();
  }

  function readAll() {
    const th = state.thread;
    for (const m of th.messages.values()) {
      if (!m.mine && m.status !== 'READ') {
        m.status = 'READ';
        messaging.read(m.id).catch(() => {});
      }
    }
  }

  function whoText(m) {
    if (m.mine) return th().contact.on_behalf_of ? t('thread.you.for', { child: th().contact.on_behalf_of.name }) : t('thread.you');
    return m.from.name;
  }

  const th = () => state.thread;

  function messageItem(m) {
    const status = m.mine && h('p', { class: `message-status status-${m.status.toLowerCase()}` },
      h('span', { class: 'visually-hidden', text: t('status.label') + ' ' }), t(`status.${m.status}`));
    return h('li', { class: m.mine ? 'message mine' : 'message theirs', dataset: { id: m.id, status: m.status } },
      h('p', { class: 'message-who' }, whoText(m), ' ', h('time', { datetime: m.sent_at, text: when(m.sent_at) })),
      m.deleted ? h('p', { class: 'message-body message-deleted', text: t('thread.deleted') })
        : h('p', { class: 'message-body', text: m.body }),
      status);
  }

  function drawMessages() {
    const list = view.querySelector('#messages');
    if (!list) return;
    const sorted = [...th().messages.values()].sort((a, b) => a.seq - b.seq);
    replace(list, sorted.length ? sorted.map(messageItem) : h('li', { class: 'message-none', text: t('thread.empty') }));
    const rem = view.querySelector('#remaining');
    if (rem) {
      const n = th().remaining;
      rem.textContent = n === null || n === undefined ? '' : (n > 0 ? t('thread.remaining', { n }) : t('thread.remaining.none'));
    }
  }

  function drawThread() {
    const c = th().contact;
    setTitle(t('thread.title', { name: c.with.name }));
    const body = h('textarea', { id: 'message-body', name: 'body', rows: 4, maxlength: 4000,
      'aria-describedby': 'remaining', onInput: (e) => { state.draft = e.target.value; } });
    body.value = state.draft;
    const error = state.error && h('div', { class: 'error-summary', role: 'alert', id: 'send-error' },
      h('p', { text: state.error }));
    const form = h('form', { class: 'compose', novalidate: true, onSubmit: (e) => { e.preventDefault(); send(); } },
      error,
      h('div', { class: 'field' }, h('label', { for: 'message-body', text: t('thread.write') }), body),
      h('p', { class: 'hint', id: 'remaining' }),
      h('div', { class: 'button-row' },
        h('button', { type: 'submit', class: 'button-primary button-big', id: 'send', text: t('thread.send') })));
    replace(view,
      h('p', {}, h('button', { type: 'button', class: 'button-secondary', id: 'back', onClick: () => openList(), text: t('thread.back') })),
      h('h1', { text: t('thread.title', { name: c.with.name }) }),
      h('ol', { class: 'messages', id: 'messages', 'aria-live': 'polite', 'aria-relevant': 'additions' }),
      form);
    drawMessages();
  }

  async function send() {
    const text = state.draft.trim();
    if (state.sending) return;
    if (!text) {
      state.error = t('thread.empty.body');
      drawThread();
      view.querySelector('#message-body').focus();
      return;
    }
    // the same client id for every retry of this text: a retry never makes a second message
    if (!state.pending || state.pending.text !== text) state.pending = { text, clientId: newClientId() };
    const { clientId } = state.pending;
    const hadError = state.error !== null;
    state.error = null;
    if (hadError) drawThread();
    // only the button changes while sending: the text box keeps its focus and whatever is typed next
    const button = view.querySelector('#send');
    button.disabled = true;
    button.textContent = t('thread.sending');
    state.sending = true;
    try {
      const r = await messaging.send(th().contact.contact_id, clientId, text);
      th().messages.set(r.message.id, r.message);
      if (r.remaining_today !== undefined) th().remaining = r.remaining_today;
      state.pending = null;
      const box = view.querySelector('#message-body');
      if (box && box.value.trim() === text) {
        box.value = '';
        state.draft = '';
      }
      button.disabled = false;
      button.textContent = t('thread.send');
      drawMessages();
      announce(r.status === 'HELD' ? t('thread.held.ok') : t('thread.sent.ok'));
    } catch (e) {
      if (e.status === 0 || e.status >= 500) {
        state.error = t('error.network'); // keep the pending client id: the retry is the same message
      } else {
        state.pending = null;
        state.error = e.status === 403 || e.status === 422 || e.status === 400
          ? t('thread.not.sent', { why: whyNotSent(e) }) : t('error.unexpected');
      }
      drawThread();
      focusStatic(view.querySelector('#send-error'));
    } finally {
      state.sending = false;
    }
  }

  // ------------------------------------------------------------ live

  function onFrame(frame) {
    if (frame.type === 'ready') {
      if (th()) catchUp(false).then(drawMessages);
      else if (view.querySelector('.conversations, h1')) openList(false);
      return;
    }
    if (frame.type === 'contact.changed') {
      // a revoked contact's thread answers 404 and the list comes back; a suspended one stays readable
      if (th() && th().contact.contact_id === frame.contact_id) catchUp(false).then(drawMessages);
      else if (!th()) openList(false);
      return;
    }
    const m = frame.message;
    if (!m || (frame.type !== 'message.new' && frame.type !== 'message.status')) return;
    if (th() && th().contact.contact_id === m.contact_id) {
      const fresh = !th().messages.has(m.id);
      th().messages.set(m.id, m);
      if (!m.mine) readAll();
      drawMessages();
      if (fresh && !m.mine) announce(t('thread.new', { name: m.from.name }));
    } else if (!th()) {
      openList(false);
    }
  }

  function failed(e) {
    if (e.status === 401) return onEnded();
    replace(view, h('div', { class: 'error-summary', role: 'alert' },
      h('p', { text: e.status === 0 ? t('error.network') : t('error.unexpected') })));
    return undefined;
  }

  onLanguage(() => {
    showLive();
    if (th()) drawThread();
    else drawList();
  });

  const socket = liveSocket({
    onFrame,
    onState: (live) => { state.live = live; showLive(); },
    onEnded,
  });
  showLive();
  openList();
  return { stop: () => socket.stop() };
}
