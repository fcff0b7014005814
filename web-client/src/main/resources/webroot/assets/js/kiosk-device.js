// This kiosk's device identity: the ECDSA P-256 key it enrolled, and the signed challenge that
// proves it at every prisoner sign-in (docs/api.md, "Kiosk device proof").
//
// The private key is a non-extractable WebCrypto key kept in IndexedDB: script on this origin can
// ask the browser to sign with it, but nobody can read it out and copy the kiosk elsewhere, which
// is the point (a device id alone is no longer enough to sign in). A demo kiosk's key is imported
// from the demo gateway, also as non-extractable, so both kinds are used the same way.
//
// Errors thrown here are Error objects with `.code`, `.status` (0 when the gateway could not be
// reached) and a plain-words `.message` taken from the API's {error: {code, message}} answer.

import { t } from './strings.js';

const BASE = '/api/v1';
const DB_NAME = 'kinlink-kiosk';
const STORE = 'device';
const CURRENT = 'current';
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' };

function kioskError(status, code, message, field) {
  const e = new Error(message);
  e.status = status;
  e.code = code;
  e.field = field || null;
  return e;
}

async function post(path, body) {
  let res;
  try {
    res = await fetch(BASE + path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw kioskError(0, 'NETWORK', t('kiosk.error.network'));
  }
  return answer(res);
}

async function answer(res) {
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = (json && json.error) || {};
    throw kioskError(res.status, e.code || `HTTP_${res.status}`, e.message || t('kiosk.error.unexpected', { status: res.status }), e.field);
  }
  return json;
}

// --- IndexedDB: one record, the device this browser is ---

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function store(mode, fn) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const readDevice = () => store('readonly', (s) => s.get(CURRENT));
const keepDevice = (record) => store('readwrite', (s) => s.put(record, CURRENT));

// --- encodings ---

function base64UrlOf(buffer) {
  let s = '';
  for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64Of(buffer) {
  let s = '';
  for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
  return btoa(s);
}

function bytesOfBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

// --- the API of this module ---

/** The device this kiosk is set up as, or null when it is not set up. */
export async function currentDevice() {
  const d = await readDevice();
  return d ? { device_id: d.device_id, demo: Boolean(d.demo) } : null;
}

/**
 * Signs a prisoner in: asks for a challenge, signs it with the device key, sends it with the prison
 * number and PIN. Resolves to {access_token, refresh_token, expires_in}.
 */
export async function kioskSignIn(prisonNumber, pin) {
  const d = await readDevice();
  if (!d) throw kioskError(0, 'NO_DEVICE', t('kiosk.error.no.device'));
  const { nonce } = await post('/auth/kiosk/challenge', { device_id: d.device_id });
  const signature = await crypto.subtle.sign(SIGN_ALGORITHM, d.key, new TextEncoder().encode(nonce));
  const tokens = await post('/auth/kiosk', {
    prison_number: prisonNumber, pin, device_id: d.device_id, nonce, signature: base64UrlOf(signature),
  });
  // pin_change_required: the PIN was set by staff, and this session may only choose her own (kiosk/pin-change.js)
  return {
    access_token: tokens.access_token, refresh_token: tokens.refresh_token, expires_in: tokens.expires_in,
    pin_change_required: tokens.pin_change_required === true,
  };
}

/**
 * Enrols this browser as device `deviceId` with the one-time code staff were given: makes a new
 * non-extractable P-256 key pair, sends the public key, and keeps the private key only once the
 * gateway has accepted it (so a refused code leaves the earlier set-up as it was).
 */
export async function enrolDevice(deviceId, enrolmentCode) {
  const pair = await crypto.subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  await post('/devices/enrol', { device_id: deviceId, enrolment_code: enrolmentCode, public_key: base64Of(spki) });
  await keepDevice({ device_id: deviceId, key: pair.privateKey, demo: false });
}

async function demoList() {
  let res;
  try {
    res = await fetch(`${BASE}/demo/kiosks`, { headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw kioskError(0, 'NETWORK', t('kiosk.error.network'));
  }
  // not a demo gateway: there are no demo kiosks
  if (res.status === 404) return [];
  return (await answer(res)).items || [];
}

/** The demo's kiosks, when this gateway is `kinlink demo` (otherwise an empty list). */
export async function demoKiosks() {
  return (await demoList()).map((k) => ({ device_id: k.device_id, label: k.label }));
}

/** Sets this browser up as one of the demo's kiosks (demo gateways only). */
export async function useDemoKiosk(deviceId) {
  const kiosk = (await demoList()).find((k) => k.device_id === deviceId);
  if (!kiosk) throw kioskError(404, 'NO_SUCH_DEMO_KIOSK', t('kiosk.error.no.demo', { id: deviceId }));
  const key = await crypto.subtle.importKey('pkcs8', bytesOfBase64(kiosk.private_key_pkcs8), KEY_ALGORITHM, false, ['sign']);
  await keepDevice({ device_id: deviceId, key, demo: true });
}

/** Forgets this browser's device key (the kiosk must be enrolled again to be used). */
export async function forgetDevice() {
  await store('readwrite', (s) => s.delete(CURRENT));
}
