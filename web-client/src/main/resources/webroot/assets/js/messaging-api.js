// Messages through the API (openapi/messaging.yaml) and the live socket (/ws) for the kiosk and
// the family portal. The socket signs in with its first frame; the token is never in the URL.

import { authed, authedUpload, authedBlob, currentAccessToken } from './api.js';

const enc = encodeURIComponent;

export const messaging = {
  conversations: () => authed('GET', '/conversations'),
  messages: (contactId, after) => authed('GET', `/conversations/${enc(contactId)}/messages${after ? `?after=${enc(after)}` : ''}`),
  send: (contactId, clientId, body) => authed('POST', `/conversations/${enc(contactId)}/messages`, { client_id: clientId, body }),
  read: (id) => authed('POST', `/messages/${enc(id)}/read`, {}),
  sendPhoto: (contactId, clientId, file) => authedUpload(`/conversations/${enc(contactId)}/photos?client_id=${enc(clientId)}`, file),
  /** A photo's bytes from the `url` / `thumb_url` the message gives (an /api/v1 path). */
  photo: (url) => authedBlob(url.replace(/^\/api\/v1/, '')),
};

/** A client id for one message: the same for every retry of that message, new for the next. */
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * The live socket: reconnects with a growing pause after it drops, and tells `onFrame` every
 * server frame and `onState(true|false)` whether it is live. A revoked session (close code 4001)
 * calls `onEnded` instead of reconnecting.
 */
export function liveSocket({ onFrame, onState, onEnded }) {
  let ws = null;
  let stopped = false;
  let pause = 500;
  let timer = null;

  async function connect() {
    if (stopped) return;
    try {
      // a cheap authenticated call first: it refreshes an expired access token
      await authed('GET', '/conversations');
    } catch (e) {
      if (e.status === 401) {
        onEnded();
        return;
      }
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(`${scheme}//${location.host}/ws`);
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', access_token: currentAccessToken() })));
    ws.addEventListener('message', (ev) => {
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        pause = 500;
        onState(true);
      }
      onFrame(frame);
    });
    ws.addEventListener('close', (ev) => {
      onState(false);
      ws = null;
      if (stopped) return;
      if (ev.code === 4001) {
        onEnded();
        return;
      }
      timer = setTimeout(connect, pause);
      pause = Math.min(pause * 2, 15000);
    });
  }

  connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (ws) ws.close(1000, 'signed out');
    },
  };
}
