// The only Jitsi code in the web client: joins a Jitsi room with the token the gateway minted after
// its join decision, and hands tracks and roster changes to the call screen. The call screen picks
// this adapter when the join answer's `backend` is "jitsi" (the embedded one otherwise), so the same
// page serves both backends.
//
// `join` (from the gateway): { base_url, library_url, service_url, domain, muc, room, hidden_domain, jwt,
// expires_at }. A security monitor's answer has no jwt but `login` { id, password } for the gateway's
// account on the hidden domain and `receive_only`: it signs in with that account (lib-jitsi-meet leaves
// hidden-domain occupants out of everyone's participants list, given `hiddenDomain`) and sends nothing.
// That hides the monitor from the interface only: the account's JID is in the room's XMPP presence.
// lib-jitsi-meet.min.js is loaded from the establishment's own Jitsi web container, never elsewhere.
// STUN/TURN come from prosody. The gateway ends the room itself (end-meeting); a token is only for
// getting in, so it is used at once and never kept.

let loading = null;

function loadLibrary(join) {
  const base = new URL(join.base_url);
  const lib = new URL(join.library_url);
  if (lib.origin !== base.origin) {
    return Promise.reject(new Error('lib-jitsi-meet must come from the establishment\'s Jitsi server'));
  }
  if (window.JitsiMeetJS) return Promise.resolve(window.JitsiMeetJS);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = lib.href;
      s.async = true;
      s.onload = () => (window.JitsiMeetJS ? resolve(window.JitsiMeetJS) : reject(new Error('lib-jitsi-meet did not load')));
      s.onerror = () => { loading = null; reject(new Error('lib-jitsi-meet could not be loaded')); };
      document.head.appendChild(s);
    });
  }
  return loading;
}

/**
 * Joins the room. Callbacks:
 *   onLocal(stream)            our camera and microphone
 *   onRemote(id, stream)       a participant's media arrived (id: Jitsi's participant id)
 *   onRemoteGone(id)           that media stopped
 *   onRoster(id, name, joined) someone joined or left
 *   onEnded(why)               'destroyed' (the gateway ended the room), 'kicked', 'refused' (no
 *                              reservation: the call is not open), 'failed'
 * @param receiveOnly a monitor sends nothing
 * @returns Promise<{ leave() }>
 */
export async function joinJitsi(join, { onLocal = () => {}, onRemote = () => {}, onRemoteGone = () => {},
  onRoster = () => {}, onEnded = () => {}, receiveOnly = false } = {}) {
  const JitsiMeetJS = await loadLibrary(join);
  JitsiMeetJS.init({});
  const E = JitsiMeetJS.events;
  const login = join.login || null;
  const silent = receiveOnly || join.receive_only === true || !!login;
  const conn = new JitsiMeetJS.JitsiConnection(null, login ? null : join.jwt, {
    hosts: { domain: join.domain, muc: join.muc },
    serviceUrl: join.service_url,
  });
  let conf = null;
  let locals = [];
  let over = false;
  const streams = new Map();

  function end(why) {
    if (over) return;
    over = true;
    locals.forEach((t) => t.dispose());
    try { if (conf) conf.leave(); } catch (e) { /* already gone */ }
    conn.disconnect();
    onEnded(why);
  }

  await new Promise((resolve, reject) => {
    conn.addEventListener(E.connection.CONNECTION_ESTABLISHED, resolve);
    conn.addEventListener(E.connection.CONNECTION_FAILED, () => reject(new Error('could not connect to the call')));
    conn.addEventListener(E.connection.CONNECTION_DISCONNECTED, () => end('failed'));
    if (login) {
      conn.connect({ id: login.id, password: login.password });
    } else {
      conn.connect();
    }
  });
  // used once: the monitor account's password is not kept in the page
  if (login) delete join.login;

  conf = conn.initJitsiConference(join.room, join.hidden_domain ? { hiddenDomain: join.hidden_domain } : {});
  conf.on(E.conference.TRACK_ADDED, (track) => {
    if (track.isLocal()) return;
    const id = track.getParticipantId();
    const stream = streams.get(id) || new MediaStream();
    stream.addTrack(track.getTrack());
    streams.set(id, stream);
    onRemote(id, stream);
  });
  conf.on(E.conference.TRACK_REMOVED, (track) => {
    if (track.isLocal()) return;
    const id = track.getParticipantId();
    const stream = streams.get(id);
    if (stream) stream.removeTrack(track.getTrack());
    if (!stream || stream.getTracks().length === 0) {
      streams.delete(id);
      onRemoteGone(id);
    }
  });
  conf.on(E.conference.USER_JOINED, (id, user) => onRoster(id, user.getDisplayName(), true));
  conf.on(E.conference.USER_LEFT, (id) => { streams.delete(id); onRemoteGone(id); onRoster(id, null, false); });
  conf.on(E.conference.KICKED, () => end('kicked'));
  conf.on(E.conference.CONFERENCE_FAILED, (error) => {
    const errs = JitsiMeetJS.errors.conference;
    end(error === errs.CONFERENCE_DESTROYED ? 'destroyed' : error === errs.RESERVATION_ERROR ? 'refused' : 'failed');
  });

  if (!silent) {
    locals = await JitsiMeetJS.createLocalTracks({ devices: ['audio', 'video'] });
    const mine = new MediaStream(locals.map((t) => t.getTrack()));
    onLocal(mine);
    locals.forEach((t) => conf.addTrack(t));
  }
  conf.join();
  return { leave: () => end('left') };
}
