// The browser's client for the Kinlink HTTP API (docs/api.md): JSON in and out, bearer tokens, one
// silent refresh when the access token has expired, and errors as ApiError with the API's
// {error: {code, message, field, problems}} shape.
//
// Where the tokens live, and why:
// - The access token (short-lived, it is what every request carries) is kept only in this
//   module's memory. Script on the page could read it either way, but memory is gone as soon as
//   the tab is closed or navigated away, and it never lands on disk.
// - The refresh token is kept in sessionStorage so that reloading the page does not sign staff
//   out in the middle of their work. sessionStorage belongs to this tab and this origin only and
//   is cleared when the tab closes (unlike localStorage, which would outlive the shift on a shared
//   wing computer). The server rotates it on every refresh and revokes it on sign-out.
// No cookie is used, so there is nothing a cross-site request could ride on (no CSRF surface).

const BASE = '/api/v1';
const REFRESH_KEY = 'kinlink.refresh';

/** An error answer from the API (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(status, body, headers) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'NETWORK' : 'HTTP_' + status);
    this.field = e.field || null;
    this.problems = Array.isArray(e.problems) ? e.problems : [];
    this.details = e;
    this.headers = headers || null;
  }
}

let accessToken = null;
// true while the session was opened with a password (or kiosk PIN) someone else gave: it may only change it (or sign out)
let mustChangePassword = false;
let refreshing = null;
const listeners = new Set();

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the session simply does not survive a reload
  }
}

function keepTokens(tokens) {
  accessToken = tokens.access_token;
  // a prisoner's answer names her PIN (pin_change_required): the same restricted session
  mustChangePassword = tokens.password_change_required === true || tokens.pin_change_required === true;
  const s = storage();
  if (s && tokens.refresh_token) s.setItem(REFRESH_KEY, tokens.refresh_token);
}

function forgetTokens() {
  accessToken = null;
  mustChangePassword = false;
  const s = storage();
  if (s) s.removeItem(REFRESH_KEY);
}

/** Registers a callback run when the session ends without the user asking (refresh refused). */
export function onSessionEnded(fn) {
  listeners.add(fn);
}

/**
 * True when the session may only change its password (POST /auth/password) or sign out: the
 * password signed in with was given by someone else. Every other call answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export function passwordChangeRequired() {
  return accessToken !== null && mustChangePassword;
}

/** True while we hold an access token of a full session (not one that may only change its password). */
export function signedIn() {
  return accessToken !== null && !mustChangePassword;
}

function idempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// `raw`: a Blob sent as it is (application/octet-stream); `blob`: the answer is a Blob (an image), not JSON
async function send(method, path, { body, raw, blob = false, headers = {}, auth = true } = {}) {
  const h = { Accept: blob ? 'image/jpeg, application/json' : 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (raw !== undefined) h['Content-Type'] = 'application/octet-stream';
  if (auth && accessToken) h.Authorization = `Bearer ${accessToken}`;
  let res;
  try {
    res = await fetch(BASE + path, {
      method, headers: h, body: raw !== undefined ? raw : (body === undefined ? undefined : JSON.stringify(body)),
      credentials: 'omit', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (blob && res.ok) return { status: res.status, body: await res.blob(), headers: res.headers };
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) throw new ApiError(res.status, json, res.headers);
  return { status: res.status, body: json, headers: res.headers };
}

/** Trades the stored refresh token for new tokens; one refresh at a time however many requests wait. */
function refresh() {
  if (!refreshing) {
    const s = storage();
    const token = s && s.getItem(REFRESH_KEY);
    refreshing = (async () => {
      if (!token) throw new ApiError(401, { error: { code: 'INVALID_TOKEN', message: 'Not signed in.' } });
      try {
        const r = await send('POST', '/auth/refresh', { body: { refresh_token: token }, auth: false });
        keepTokens(r.body);
      } catch (e) {
        // Only a definite refusal ends the session; a network blip keeps the refresh token for later.
        if (e.status === 401 || e.status === 400) forgetTokens();
        throw e;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/**
 * Sends an authenticated request. On 401 INVALID_TOKEN it refreshes the tokens once and repeats
 * the request once; if that fails too the session is over and listeners are told.
 */
async function request(method, path, options = {}) {
  const used = accessToken;
  try {
    return await send(method, path, options);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401 || e.code !== 'INVALID_TOKEN') throw e;
    // another request already refreshed the token this one was sent with: just send it again
    if (accessToken && accessToken !== used) return send(method, path, options);
    try {
      await refresh();
    } catch (refreshError) {
      if (refreshError.status === 401 || refreshError.status === 400) {
        listeners.forEach((fn) => fn());
        throw e;
      }
      throw refreshError;
    }
    return send(method, path, options);
  }
}

const q = (params) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

const enc = encodeURIComponent;

/** The version number carried by an ETag such as "3" or W/"3". */
function versionOf(etag, fallback) {
  const m = /(\d+)/.exec(etag || '');
  return m ? Number(m[1]) : fallback;
}

export const api = {
  /** Signs in; rejects with ApiError code OTP_REQUIRED when a one-time code is needed. */
  async login(email, password, otp) {
    const body = { email, password };
    if (otp) body.otp = otp;
    const r = await send('POST', '/auth/login', { body, auth: false });
    keepTokens(r.body);
    return r.body;
  },

  /**
   * Resumes the tab's session after a reload from the stored refresh token; false if there is none.
   * A session that may only change its password is resumed only for a page that can show the
   * password change (`allowPasswordChange`); any other page ends it, so its person signs in again.
   */
  async resume({ allowPasswordChange = false } = {}) {
    const s = storage();
    if (!s || !s.getItem(REFRESH_KEY)) return false;
    try {
      await refresh();
    } catch {
      return false;
    }
    if (mustChangePassword && !allowPasswordChange) {
      await api.logout();
      return false;
    }
    return true;
  },

  /**
   * Changes my password; on success keeps the tokens of the new, full session (every other session
   * of the account has ended). Rejects with ApiError WRONG_PASSWORD, WEAK_PASSWORD or PASSWORD_UNCHANGED
   * naming its field.
   */
  async changePassword(currentPassword, newPassword) {
    const r = await request('POST', '/auth/password', { body: { current_password: currentPassword, new_password: newPassword } });
    keepTokens(r.body);
    return r.body;
  },

  /**
   * Changes my kiosk PIN (a prisoner); on success keeps the tokens of the new, full session. Rejects with
   * ApiError WRONG_PIN (field current_pin), INVALID_PIN, PIN_REPEATED, PIN_SEQUENCE, PIN_PRISON_NUMBER or
   * PIN_UNCHANGED (field new_pin).
   */
  async changePin(currentPin, newPin) {
    const r = await request('POST', '/auth/pin', { body: { current_pin: currentPin, new_pin: newPin } });
    keepTokens(r.body);
    return r.body;
  },

  /** Signs out on the server (ends the session the access token belongs to) and forgets the tokens. */
  async logout() {
    try {
      // through request() so that an expired access token is refreshed first and the session really ends
      if (accessToken) await request('POST', '/auth/logout');
    } catch {
      // the tokens are forgotten below whatever the server said; they expire on their own
    } finally {
      forgetTokens();
    }
  },

  me: () => request('GET', '/me').then((r) => r.body),

  prisoners: (cursor, limit = 50) => request('GET', `/prisoners${q({ limit, cursor })}`).then((r) => r.body),
  prisoner: (id) => request('GET', `/prisoners/${enc(id)}`).then((r) => r.body),

  contacts: (prisonerId, cursor, limit = 50) =>
    request('GET', `/contacts${q({ prisoner: prisonerId, limit, cursor })}`).then((r) => r.body),
  contact: (id) => request('GET', `/contacts/${enc(id)}`).then((r) => r.body),

  /**
   * approve | suspend | revoke with {reason, until?}; resolves to the updated contact. With
   * `version`, the API refuses (409 STALE_VERSION) if the contact changed since it was shown.
   */
  transition(id, action, body, version) {
    const headers = { 'Idempotency-Key': idempotencyKey() };
    if (version !== undefined && version !== null) headers['If-Match'] = `"${version}"`;
    return request('POST', `/contacts/${enc(id)}/${action}`, { body, headers }).then((r) => r.body);
  },

  /** The contact's policy; `version` comes from the ETag when present. */
  async policy(id) {
    const r = await request('GET', `/contacts/${enc(id)}/policy`);
    return { ...r.body, version: versionOf(r.headers.get('ETag'), r.body.version) };
  },

  /** Saves a new policy version if `version` is still the current one (If-Match). */
  async savePolicy(id, version, policy, reason) {
    const r = await request('PUT', `/contacts/${enc(id)}/policy`, {
      body: { policy, reason },
      headers: { 'If-Match': `"${version}"`, 'Idempotency-Key': idempotencyKey() },
    });
    return { ...r.body, version: versionOf(r.headers.get('ETag'), r.body.version) };
  },

  policyVersions: (id) => request('GET', `/contacts/${enc(id)}/policy/versions`).then((r) => r.body),

  // ---- people directory ----------------------------------------------------------------------
  /** Prisoners of my establishment matching `text` (name or prison number), searched on the server. */
  searchPrisoners: (text, cursor, limit = 50) =>
    request('GET', `/prisoners${q({ q: text, limit, cursor })}`).then((r) => r.body),
  /** People outside my establishment works with, matching `text` by name, searched on the server. */
  searchPeople: (text, cursor, limit = 20) =>
    request('GET', `/people${q({ q: text, limit, cursor })}`).then((r) => r.body),
  person: (id) => request('GET', `/people/${enc(id)}`).then((r) => r.body),
  createPrisoner: (body) => request('POST', '/prisoners', { body, headers: { 'Idempotency-Key': idempotencyKey() } })
    .then((r) => r.body),
  /** Changes a prisoner's record (a new kiosk PIN, with a reason); a PIN set here is one she must replace. */
  updatePrisoner: (id, body) => request('PATCH', `/prisoners/${enc(id)}`, { body }).then((r) => r.body),
  /** Lifts a kiosk sign-in lock early; resolves to {lifted}. */
  unlockPrisoner: (id) => request('POST', `/prisoners/${enc(id)}/unlock`).then((r) => r.body),

  // ---- contacts across the establishment -----------------------------------------------------
  contactsInState: (state, cursor, limit = 50) =>
    request('GET', `/contacts${q({ state, limit, cursor })}`).then((r) => r.body),
  /** Proposes a contact (staff: for a prisoner of my establishment); it starts PENDING. */
  proposeContact: (body) => request('POST', '/contacts', { body, headers: { 'Idempotency-Key': idempotencyKey() } })
    .then((r) => r.body),

  // ---- child-contact clearance ---------------------------------------------------------------
  async clearance(prisonerId) {
    const r = await request('GET', `/prisoners/${enc(prisonerId)}/clearance`);
    return { ...r.body, version: versionOf(r.headers.get('ETag'), r.body.version) };
  },
  clearanceVersions: (prisonerId) => request('GET', `/prisoners/${enc(prisonerId)}/clearance/versions`).then((r) => r.body),
  async setClearance(prisonerId, version, clearance, reason) {
    const r = await request('PUT', `/prisoners/${enc(prisonerId)}/clearance`, {
      body: { clearance, reason },
      headers: { 'If-Match': `"${version}"`, 'Idempotency-Key': idempotencyKey() },
    });
    return { ...r.body, version: versionOf(r.headers.get('ETag'), r.body.version) };
  },

  // ---- administration (admins of my establishment) -------------------------------------------
  staffAccounts: (cursor, limit = 50) => request('GET', `/staff${q({ limit, cursor })}`).then((r) => r.body),
  createStaff: (body) => request('POST', '/staff', { body, headers: { 'Idempotency-Key': idempotencyKey() } })
    .then((r) => r.body),
  updateStaff: (id, body) => request('PATCH', `/staff/${enc(id)}`, { body }).then((r) => r.body),
  /** A new one-time password and, with `totp: true`, a new authenticator enrolment (both shown once). */
  resetStaff: (id, body) => request('POST', `/staff/${enc(id)}/reset`, { body }).then((r) => r.body),
  devices: (cursor, limit = 50) => request('GET', `/devices${q({ limit, cursor })}`).then((r) => r.body),
  enrolDevice: (body) => request('POST', '/devices', { body, headers: { 'Idempotency-Key': idempotencyKey() } })
    .then((r) => r.body),
  updateDevice: (id, body) => request('PATCH', `/devices/${enc(id)}`, { body }).then((r) => r.body),
  /** A new one-time enrolment code for a device waiting for its key (or withdrawn), replacing any earlier one. */
  newEnrolmentCode: (id) => request('POST', `/devices/${enc(id)}/enrolment-code`, { body: {} }).then((r) => r.body),

  /** How long my establishment keeps message bodies and photos after delivery ({retention_days}). */
  messagingSettings: (est) => request('GET', `/establishments/${enc(est)}/messaging-settings`).then((r) => r.body),
  setMessagingSettings: (est, body) => request('PUT', `/establishments/${enc(est)}/messaging-settings`, { body }).then((r) => r.body),
  /** My establishment's video-call settings: call_hours {opens, closes}, capacity, approval_required, recording_retention_days. */
  callSettings: (est) => request('GET', `/establishments/${enc(est)}/call-settings`).then((r) => r.body),
  setCallSettings: (est, body) => request('PUT', `/establishments/${enc(est)}/call-settings`, { body }).then((r) => r.body),

  // ---- security: audit log, chain check, review queue ----------------------------------------
  /** One page of the audit log; `filter` has from, to, prisoner, contact, action, actor. */
  audit: (filter, cursor, limit = 50) => request('GET', `/audit${q({ ...filter, limit, cursor })}`).then((r) => r.body),
  /** Every matching entry as CSV or NDJSON text (the API streams it; each export is itself audited). */
  async auditExport(filter, format) {
    const accept = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
    const r = await requestText('GET', `/audit${q(filter)}`, accept);
    return r;
  },
  verifyAudit: () => request('GET', '/audit/verify').then((r) => r.body),
  reviews: (cursor, limit = 50) => request('GET', `/reviews${q({ limit, cursor })}`).then((r) => r.body),
  decideReview: (id, outcome, reason) => request('POST', `/reviews/${enc(id)}`, {
    body: { outcome, reason }, headers: { 'Idempotency-Key': idempotencyKey() },
  }).then((r) => r.body),
};

// ---- for the kiosk and the family portal (messaging) ----

/** Keeps tokens from a sign-in made elsewhere (the kiosk's device sign-in) as login() would. */
export function useTokens(tokens) {
  keepTokens(tokens);
}

/**
 * GETs a binary body (a photo, a call recording) as a Blob for an object URL, with the bearer token in
 * the header, never in an <img>/<video> src (which would put it in URLs and logs),
 * refreshing the tokens once on 401 as every other request does; answers a Blob.
 */
export async function authedBlob(path) {
  const get = async () => {
    let res;
    try {
      res = await fetch(BASE + path, { headers: { Authorization: `Bearer ${accessToken}` }, credentials: 'omit', cache: 'no-store' });
    } catch {
      throw new ApiError(0, null);
    }
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null), res.headers);
    return res.blob();
  };
  try {
    return await get();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    await refresh();
    return get();
  }
}

/** The access token for the WebSocket's first frame (never put in a URL). */
export function currentAccessToken() {
  return accessToken;
}

/** An authenticated JSON request with the same refresh-once rule as every other call. */
export function authed(method, path, body) {
  return request(method, path, body === undefined ? {} : { body }).then((r) => r.body);
}

/** An authenticated upload of a file (a photo) as the request body; the answer is JSON. */
export function authedUpload(path, file) {
  return request('POST', path, { raw: file }).then((r) => r.body);
}


/** An authenticated request whose answer is text of another type (exports), refreshed like request(). */
async function requestText(method, path, accept) {
  const once = async () => {
    let res;
    try {
      res = await fetch(BASE + path, {
        method, headers: { Accept: accept, Authorization: `Bearer ${accessToken}` }, credentials: 'omit', cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, null);
    }
    const text = await res.text();
    if (!res.ok) {
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      throw new ApiError(res.status, json, res.headers);
    }
    return text;
  };
  try {
    return await once();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401 || e.code !== 'INVALID_TOKEN') throw e;
    await refresh();
    return once();
  }
}
