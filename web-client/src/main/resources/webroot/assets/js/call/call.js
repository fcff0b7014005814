// The in-call screen of the embedded backend, shared by the kiosk, the portal and the child's join
// page: camera and microphone, one RTCPeerConnection per peer the gateway says we may connect to
// (call.peers), offers/answers/ICE over the socket (call.signal), time left, leave. Media rules are
// the gateway's: when it says a peer may no longer be connected (supervisor gone) the connection is
// closed here; when the call ends every connection and track stops. The kiosk also records the call
// (MediaRecorder) and uploads a chunk a second.

import { h, replace } from '../dom.js';

const WORDS = {
  en: { leave: 'Leave the call', left: 'You have left the call.', waiting: 'Waiting for the others to join…',
    held: 'Waiting for the grown-up to come back…', heldFor: 'Waiting for {names}…', timeLeft: 'Time left: {m} min', oneMinute: 'One minute left.',
    inCall: 'In the call', you: 'You', ended: 'The call has ended.', camera: 'We could not use the camera or microphone.' },
  cy: { leave: 'Gadael yr alwad', left: 'Rydych wedi gadael yr alwad.', waiting: 'Aros i’r lleill ymuno…',
    held: 'Aros i’r oedolyn ddod yn ôl…', heldFor: 'Aros am {names}…', timeLeft: 'Amser ar ôl: {m} munud', oneMinute: 'Un funud ar ôl.',
    inCall: 'Yn yr alwad', you: 'Chi', ended: 'Mae’r alwad wedi dod i ben.', camera: 'Doedden ni ddim yn gallu defnyddio’r camera na’r meicroffon.' },
};

function say(lang, key, vars = {}) {
  const w = (WORDS[lang] || WORDS.en)[key] || WORDS.en[key] || key;
  return w.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/**
 * Runs a call in `root`.
 * @param join the join answer's `join` ({ticket, ice_servers, call_id, participant_id, role, ends_at, record})
 * @param socketToken what the socket's auth frame carries (an access token, or the child's ticket)
 * @param uploadChunk (seq, Blob, mime) => Promise, for the kiosk's recording (optional); the slice is sent as it is
 * @param onEnd (text) => void, after the call ended or was left
 * @param backend the join answer's `backend`: "jitsi" joins through jitsi-adapter.js (loaded only then),
 *   anything else is the embedded backend; time left, leave and the gateway's end frames are the same
 */
export function startCall({ root, join, socketToken, lang = 'en', uploadChunk = null, onEnd = () => {}, backend = 'embedded' }) {
  const jitsi = backend === 'jitsi';
  let room = null; // the Jitsi adapter's handle
  const pcs = new Map(); // peer id -> {pc, peer}
  let supervisors = []; // names of who may supervise: a held call waits for them
  const videos = h('div', { class: 'call-videos', id: 'call-videos' });
  const status = h('p', { class: 'call-status', id: 'call-status', role: 'status', 'aria-live': 'polite' }, say(lang, 'waiting'));
  const timeLeft = h('p', { class: 'call-time', id: 'call-time' });
  const who = h('ul', { class: 'call-who', id: 'call-who', 'aria-label': say(lang, 'inCall') });
  const leaveButton = h('button', { type: 'button', class: 'button-primary button-big', id: 'call-leave', text: say(lang, 'leave'),
    onClick: () => finish(say(lang, 'left'), true) });
  const mine = h('video', { id: 'call-self', autoplay: true, muted: true, playsinline: true, 'aria-label': say(lang, 'you') });
  replace(root, h('section', { class: 'call-screen', 'aria-labelledby': 'call-title' },
    h('h2', { id: 'call-title', text: say(lang, 'inCall') }), status, timeLeft, who, videos, mine, leaveButton));
  let local = null;
  let ws = null;
  let ended = false;
  let recorder = null;
  const timer = setInterval(tick, 1000);
  tick();

  function tick() {
    const ms = new Date(join.ends_at).getTime() - Date.now();
    timeLeft.textContent = say(lang, 'timeLeft', { m: Math.max(0, Math.ceil(ms / 60000)) });
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function finish(text, leaving) {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    if (leaving) send({ type: 'call.leave', call_id: join.call_id });
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    pcs.forEach(({ pc }) => pc.close());
    pcs.clear();
    if (local) local.getTracks().forEach((t) => t.stop());
    if (room) room.leave();
    setTimeout(() => ws && ws.close(1000, 'call over'), 100);
    replace(root, h('section', { class: 'call-screen call-over' }, h('h2', { id: 'call-over', text: text })));
    onEnd(text);
  }

  function roster(peers, held) {
    replace(who, h('li', { text: say(lang, 'you') }), ...peers.map((p) => h('li', { 'data-peer': p.id, text: p.name })));
    const waitingFor = held ? (supervisors.length ? say(lang, 'heldFor', { names: supervisors.join(', ') }) : say(lang, 'held')) : '';
    status.textContent = held ? waitingFor : (peers.some((p) => p.connect) ? '' : say(lang, 'waiting'));
    const allowed = new Set(peers.filter((p) => p.connect).map((p) => p.id));
    for (const [id, entry] of pcs) {
      if (!allowed.has(id)) { // the gateway no longer allows media with this peer: stop it here
        entry.pc.close();
        pcs.delete(id);
        document.getElementById('video-' + id)?.remove();
      }
    }
    peers.filter((p) => p.connect && !pcs.has(p.id)).forEach((p) => connectTo(p));
  }

  function connectTo(peer) {
    const pc = new RTCPeerConnection({ iceServers: join.ice_servers || [] });
    pcs.set(peer.id, { pc, peer });
    const monitorPeer = peer.role === 'MONITOR';
    if (local && join.role !== 'MONITOR') local.getTracks().forEach((t) => pc.addTrack(t, local));
    if (join.role === 'MONITOR') {
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
    }
    pc.onicecandidate = (ev) => { if (ev.candidate) send({ type: 'call.signal', call_id: join.call_id, to: peer.id, data: { ice: ev.candidate.toJSON() } }); };
    pc.ontrack = (ev) => {
      if (monitorPeer) return; // a monitor sends nothing
      let v = document.getElementById('video-' + peer.id);
      if (!v) {
        v = h('video', { id: 'video-' + peer.id, class: 'call-peer', autoplay: true, playsinline: true, 'aria-label': peer.name });
        videos.append(v);
      }
      v.srcObject = ev.streams[0];
      status.textContent = '';
    };
    pc.onconnectionstatechange = () => { if (pc.connectionState === 'connected') root.dataset.connected = (root.dataset.connected || '') + ' ' + peer.id; };
    if (peer.offer) {
      pc.createOffer().then((o) => pc.setLocalDescription(o))
        .then(() => send({ type: 'call.signal', call_id: join.call_id, to: peer.id, data: { sdp: pc.localDescription.toJSON() } }));
    }
  }

  async function onSignal(from, data) {
    const entry = pcs.get(from);
    if (!entry) return; // not a peer we may connect to now
    const pc = entry.pc;
    if (data.sdp) {
      await pc.setRemoteDescription(data.sdp);
      if (data.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: 'call.signal', call_id: join.call_id, to: from, data: { sdp: pc.localDescription.toJSON() } });
      }
    } else if (data.ice) {
      await pc.addIceCandidate(data.ice).catch(() => {});
    }
  }

  function record() {
    if (!uploadChunk || !join.record || typeof MediaRecorder === 'undefined') return;
    let seq = 0;
    // Each slice goes up as it is (application/octet-stream, up to 1 MiB), so the rate is chosen for
    // the recording, not for a JSON limit: security reviews it for faces, gestures, a note held up to
    // the camera and every word, and the kiosk's camera gives 640x480: 1 Mbit/s is a usual VP8 rate
    // for a clear picture at that size (the old 400 kbit/s was set only to fit base64 in a JSON string),
    // and 64 kbit/s Opus is clear speech. That is about 8 MB a minute, stored sealed as it is. One-second slices (about 133 KB) mean a lost slice is one second, and the
    // gateway's 10 s recorder-silence check still has ten slices of margin.
    recorder = new MediaRecorder(local, { mimeType: MediaRecorder.isTypeSupported('video/webm') ? 'video/webm' : '',
      videoBitsPerSecond: 1000000, audioBitsPerSecond: 64000 });
    recorder.ondataavailable = (ev) => {
      if (!ev.data || ev.data.size === 0) return;
      sendChunk(seq++, ev.data, recorder.mimeType || 'video/webm');
    };
    recorder.start(1000);
  }

  // A chunk lost to a network blip would leave a gap and, after 10 s without chunks, end the call
  // RECORDING_FAILED; the gateway stores each seq once, so sending it again is safe. A 4xx is the
  // gateway's answer about this call (not live, not recorded) and is not retried.
  async function sendChunk(seq, slice, mime, attempt = 1) {
    try {
      await uploadChunk(seq, slice, mime);
    } catch (e) {
      const transient = !e || !e.status || e.status >= 500;
      if (transient && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        await sendChunk(seq, slice, mime, attempt + 1);
      }
    }
  }

  async function beginJitsi() {
    const { joinJitsi } = await import('./jitsi-adapter.js');
    const names = new Map();
    const show = () => {
      replace(who, h('li', { text: say(lang, 'you') }), ...[...names.values()].map((n) => h('li', { text: n })));
      status.textContent = names.size ? '' : say(lang, 'waiting');
    };
    try {
      room = await joinJitsi(join, {
        receiveOnly: join.role === 'MONITOR',
        onLocal: (stream) => { mine.srcObject = stream; },
        onRemote: (id, stream) => {
          let v = document.getElementById('video-' + id);
          if (!v) {
            v = h('video', { id: 'video-' + id, class: 'call-peer', autoplay: true, playsinline: true });
            videos.appendChild(v);
          }
          v.srcObject = stream;
        },
        onRemoteGone: (id) => { const v = document.getElementById('video-' + id); if (v) v.remove(); },
        onRoster: (id, name, joined) => { if (joined) names.set(id, name || '…'); else names.delete(id); show(); },
        onEnded: (why) => finish(why === 'left' ? say(lang, 'left') : say(lang, 'ended'), false),
      });
      if (ended) room.leave();
    } catch {
      status.textContent = say(lang, 'camera');
    }
  }

  async function begin() {
    if (jitsi) {
      beginJitsi();
    } else if (join.role !== 'MONITOR') {
      try {
        local = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
        mine.srcObject = local;
      } catch {
        status.textContent = say(lang, 'camera');
      }
    } else {
      mine.remove();
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(`${scheme}//${location.host}/ws`);
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', access_token: socketToken })));
    ws.addEventListener('message', (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch { return; }
      if (f.type === 'ready') send({ type: 'call.join', ticket: join.ticket });
      else if (f.type === 'call.joined') { supervisors = f.supervisors || []; roster(f.peers || [], f.held); if (local) record(); }
      else if (f.type === 'call.peers' && f.call_id === join.call_id) roster(f.peers || [], f.held);
      else if (f.type === 'call.signal' && f.call_id === join.call_id) onSignal(f.from, f.data);
      else if (f.type === 'call.warning' && f.call_id === join.call_id) status.textContent = say(lang, 'oneMinute');
      else if (f.type === 'call.state' && f.call_id === join.call_id && ['ENDED', 'CANCELLED', 'MOVED'].includes(f.state)) {
        finish(f.why_text || say(lang, 'ended'), false);
      }
    });
  }
  begin();
  return { leave: () => finish(say(lang, 'left'), true) };
}
