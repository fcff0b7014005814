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

/**
 * Why a send was refused, in the page's language: the stable user-safe code the API gives
 * (`error.reason_code`, the policy's public code), else the error code; the API's English words only
 * when the page is in English and no translation exists.
 */
function whyNotSent(e) {
  const d = e.details || {};
  const reasons = (d.decision && d.decision.reasons) || [];
  const codes = [d.reason_code, e.code, ...reasons.map((r) => r.rule)].filter(Boolean);
  for (const code of codes) {
    const text = t(`deny.${code}`);
    if (text !== `deny.${code}`) return text;
  }
  return language() === 'en' && e.message ? e.message : t('deny.OTHER');
}

/** The largest photo the gateway takes (PhotoImages.MAX_BYTES), checked here first to save a long upload. */
const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

/**
 * Runs the messaging screens in `view`. `titleKey` names the product for the page title;
 * `onEnded` is called when the session ends (revoked, or the refresh was refused).
 */
export function startMessaging({ view, titleKey, onEnded, liveEl, sendPhotos = false }) {
  const state = { list: [], thread: null, live: false, draft: '', pending: null, error: null, sending: false,
    photoPending: null, photoError: null, photoSending: false };
  // object URLs of photos already fetched (with the bearer token), by message id and size; revoked when the thread closes
  const photoUrls = new Map();


  const setTitle = (page) => {
    document.title = `${page} – ${t(titleKey)}`;
  };

  function showLive() {
    if (liveEl) liveEl.textContent = state.live ? t('live.on') : t('live.off');
  }

  // ------------------------------------------------------------ the list

  // each move between the list and a thread takes a number: an answer that comes back after a later
  // move (a live refresh of the list while a thread is being opened) must not draw over it
  let moves = 0;

  async function openList(focus = true) {
    const move = ++moves;
    state.thread = null;
    forgetPhotos();
    try {
      const r = await messaging.conversations();
      if (move !== moves) return undefined;
      state.list = r.items;
    } catch (e) {
      return move === moves ? failed(e) : undefined;
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
    const move = ++moves;
    state.thread = { contact: c, messages: new Map(), cursor: null, remaining: c.remaining_today };
    state.draft = '';
    state.error = null;
    state.pending = null;
    state.photoError = null;
    state.photoPending = null;
    await catchUp(true);
    if (move !== moves || !state.thread) return;
    drawThread();
    focusStatic(view.querySelector('h1'));
  }

  async function catchUp(first) {
    const th = state.thread;
    if (!th) return;
    try {
      const r = await messaging.messages(th.contact.contact_id, first ? null : th.cursor);
      if (state.thread !== th) return; // the person moved on meanwhile
      r.items.forEach((m) => th.messages.set(m.id, m));
      th.cursor = r.next_cursor;
    } catch (e) {
      if (state.thread !== th) return undefined;
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

  function statusText(m) {
    const photo = m.photo && t(`status.photo.${m.status}`);
    return photo && photo !== `status.photo.${m.status}` ? photo : t(`status.${m.status}`);
  }

  function messageItem(m) {
    const status = m.mine && h('p', { class: `message-status status-${m.status.toLowerCase()}` },
      h('span', { class: 'visually-hidden', text: t('status.label') + ' ' }), statusText(m));
    return h('li', { class: m.mine ? 'message mine' : 'message theirs', dataset: { id: m.id, status: m.status } },
      h('p', { class: 'message-who' }, whoText(m), ' ', h('time', { datetime: m.sent_at, text: when(m.sent_at) })),
      m.deleted ? h('p', { class: 'message-body message-deleted', text: t('thread.deleted') })
        : (m.photo ? photoThumb(m) : h('p', { class: 'message-body', text: m.body })),
      status);
  }

  // ------------------------------------------------------------ photos

  function photoAlt(m) {
    return m.mine ? t('photo.yours') : t('photo.from', { name: m.from.name });
  }

  /** An object URL for the photo of `m` (thumb or full), fetched once with the session's token. */
  function photoUrl(m, size) {
    const key = `${m.id} ${size}`;
    if (!photoUrls.has(key)) {
      const url = size === 'thumb' ? m.photo.thumb_url : m.photo.url;
      photoUrls.set(key, messaging.photo(url).then((blob) => URL.createObjectURL(blob)));
    }
    return photoUrls.get(key);
  }

  function forgetPhotos() {
    for (const p of photoUrls.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
    photoUrls.clear();
  }

  /** The thumbnail: a button (keyboard and touch) that opens the full view. */
  function photoThumb(m) {
    const img = h('img', { class: 'photo-thumb-img', alt: photoAlt(m), width: 160, height: 160, hidden: true });
    const waiting = h('span', { class: 'photo-loading', text: t('photo.loading') });
    const button = h('button', { type: 'button', class: 'photo-thumb', dataset: { photo: m.id },
      'aria-label': m.mine ? t('photo.open.yours') : t('photo.open', { name: m.from.name }),
      onClick: () => openPhoto(m, button) }, img, waiting);
    // shown once decoded, so the page never lays out an empty box
    img.addEventListener('load', () => {
      img.hidden = false;
      waiting.remove();
    });
    photoUrl(m, 'thumb').then((u) => {
      img.src = u;
      const { width, height } = m.photo;
      if (width && height) {
        const scale = 160 / Math.max(width, height);
        img.width = Math.max(1, Math.round(width * scale));
        img.height = Math.max(1, Math.round(height * scale));
      }
    }, (e) => {
      if (e.status === 401) return;
      waiting.textContent = t('photo.unavailable');
      button.disabled = true;
    });
    return h('div', { class: 'message-photo' }, button);
  }

  /** The full view in a modal dialog: Escape or Close returns to the thumbnail. */
  function openPhoto(m, from) {
    const title = h('h2', { id: 'photo-view-title', text: photoAlt(m) });
    const img = h('img', { class: 'photo-full', alt: photoAlt(m) });
    const status = h('p', { class: 'photo-loading', text: t('photo.loading') });
    const close = h('button', { type: 'button', class: 'button-primary button-big', id: 'photo-close', text: t('photo.close') });
    const dialog = h('dialog', { class: 'photo-view', 'aria-labelledby': 'photo-view-title' },
      title, status, img, h('div', { class: 'button-row' }, close));
    img.hidden = true;
    close.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (from && from.isConnected) from.focus();
      else focusStatic(view.querySelector('h1'));
    });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
    img.addEventListener('load', () => {
      img.hidden = false;
      status.remove();
    });
    photoUrl(m, 'full').then((u) => {
      img.src = u;
    }, () => {
      status.textContent = t('photo.unavailable');
    });
  }

  function drawMessages() {
    const list = view.querySelector('#messages');
    if (!list || !th()) return;
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
      form,
      sendPhotos && photoForm());
    drawMessages();
  }

  function photoForm() {
    const error = state.photoError && h('div', { class: 'error-summary', role: 'alert', id: 'photo-error', tabindex: '-1' },
      h('p', { text: state.photoError }));
    const input = h('input', { type: 'file', id: 'photo-file', name: 'photo', accept: 'image/jpeg,image/png',
      'aria-describedby': 'photo-hint' });
    return h('form', { class: 'compose photo-send', novalidate: true, onSubmit: (e) => { e.preventDefault(); sendPhoto(input.files[0]); } },
      h('h2', { text: t('photo.title') }),
      error,
      h('div', { class: 'field' },
        h('label', { for: 'photo-file', text: t('photo.choose') }),
        h('p', { class: 'hint', id: 'photo-hint', text: t('photo.choose.hint') }),
        input),
      h('div', { class: 'button-row' },
        h('button', { type: 'submit', class: 'button-primary', id: 'send-photo', text: t('photo.send') })));
  }

  /** Shows why the photo was not sent in its form, keeping the chosen file (a retry sends the same one). */
  function photoFailed(message) {
    state.photoError = message;
    const form = view.querySelector('form.photo-send');
    if (!form) return;
    const old = form.querySelector('#photo-error');
    if (old) old.remove();
    const box = h('div', { class: 'error-summary', role: 'alert', id: 'photo-error', tabindex: '-1' }, h('p', { text: message }));
    form.querySelector('h2').after(box);
    focusStatic(box);
  }

  async function sendPhoto(file) {
    if (state.photoSending) return;
    if (!file) return photoFailed(t('photo.none'));
    if (file.size > MAX_PHOTO_BYTES) return photoFailed(t('photo.not.sent', { why: t('deny.PHOTO_TOO_LARGE') }));
    if (file.type && file.type !== 'image/jpeg' && file.type !== 'image/png') {
      return photoFailed(t('photo.not.sent', { why: t('deny.INVALID_PHOTO') }));
    }
    // the same client id for every retry of this file: a retry never makes a second photo
    const p = state.photoPending;
    const same = p && p.file.name === file.name && p.file.size === file.size && p.file.lastModified === file.lastModified;
    if (!same) state.photoPending = { file, clientId: newClientId() };
    const { clientId } = state.photoPending;
    const button = view.querySelector('#send-photo');
    if (state.photoError) {
      state.photoError = null;
      const box = view.querySelector('#photo-error');
      if (box) box.remove();
    }
    button.disabled = true;
    button.textContent = t('photo.sending');
    state.photoSending = true;
    try {
      const r = await messaging.sendPhoto(th().contact.contact_id, clientId, file);
      th().messages.set(r.message.id, r.message);
      if (r.remaining_today !== undefined) th().remaining = r.remaining_today;
      state.photoPending = null;
      const input = view.querySelector('#photo-file');
      if (input) input.value = '';
      drawMessages();
      announce(r.status === 'HELD' ? t('photo.held.ok') : t('photo.sent.ok'));
    } catch (e) {
      if (e.status === 0 || e.status >= 500) {
        photoFailed(t('error.network')); // the pending client id stays: the retry is the same photo
      } else {
        state.photoPending = null;
        const refused = e.status === 403 || e.status === 422 || e.status === 400 || e.status === 413;
        photoFailed(refused ? t('photo.not.sent', { why: e.status === 413 ? t('deny.PHOTO_TOO_LARGE') : whyNotSent(e) })
          : t('error.unexpected'));
      }
    } finally {
      state.photoSending = false;
      const b = view.querySelector('#send-photo');
      if (b) {
        b.disabled = false;
        b.textContent = t('photo.send');
      }
    }
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
  return {
    stop: () => {
      socket.stop();
      forgetPhotos();
    },
  };
}
