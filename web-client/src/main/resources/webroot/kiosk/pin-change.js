// "Choose your own PIN": shown on the kiosk after a sign-in with a PIN staff set (registering her, or
// a new PIN on her record), whose session may do nothing else until she has chosen one only she knows.
// The same form as choosing a new password (assets/js/password-change.js), with the kiosk's large
// boxes and buttons, plain words in English and Welsh, and the new PIN typed twice so that a slip of
// the finger does not lock her out. The gateway's rule (PinRule) is what decides; the page checks
// only what it can see (a box left empty, not 4 to 8 numbers, the two new PINs not the same).

import { api } from '../assets/js/api.js';
import { secretChangeView } from '../assets/js/password-change.js';

const FORMAT = /^[0-9]{4,8}$/;

/** The API's refusal in the page's words: {field, key}. */
function fromApi(err) {
  switch (err.code) {
    case 'WRONG_PIN': return { field: 'current_pin', key: 'pinchange.current.wrong' };
    case 'INVALID_PIN': return { field: 'new_pin', key: 'pinchange.new.format' };
    case 'PIN_REPEATED': return { field: 'new_pin', key: 'pinchange.new.repeated' };
    case 'PIN_SEQUENCE': return { field: 'new_pin', key: 'pinchange.new.sequence' };
    case 'PIN_PRISON_NUMBER': return { field: 'new_pin', key: 'pinchange.new.prison' };
    case 'PIN_UNCHANGED': return { field: 'new_pin', key: 'pinchange.new.same' };
    case 'SIGN_IN_LOCKED': return { field: null, key: 'pinchange.locked' };
    case 'NETWORK': return { field: null, key: 'pinchange.network' };
    default: return { field: null, key: 'pinchange.failed' };
  }
}

function check({ current_pin: current, new_pin: next, confirm_pin: again }) {
  const problems = [];
  if (!current) problems.push({ field: 'current_pin', key: 'pinchange.current.missing' });
  if (!next) problems.push({ field: 'new_pin', key: 'pinchange.new.missing' });
  else if (!FORMAT.test(next)) problems.push({ field: 'new_pin', key: 'pinchange.new.format' });
  else if (next === current) problems.push({ field: 'new_pin', key: 'pinchange.new.same' });
  if (!again) problems.push({ field: 'confirm_pin', key: 'pinchange.confirm.missing' });
  else if (next && again !== next) problems.push({ field: 'confirm_pin', key: 'pinchange.confirm.mismatch' });
  return problems;
}

const PIN_BOX = { type: 'password', autocomplete: 'off', attrs: { inputmode: 'numeric', class: 'input-big', maxlength: '8' } };

/** Draws the page into `host`: `t` the word table, `setTitle`, `onChanged` once saved, `onSignOut`. */
export function pinChangeView(host, { t, setTitle, onChanged, onSignOut }) {
  secretChangeView(host, {
    t, setTitle, onChanged, onSignOut,
    prefix: 'pinchange',
    boxes: [
      { field: 'current_pin', labelKey: 'pinchange.current', hintKey: 'pinchange.current.hint', ...PIN_BOX },
      { field: 'new_pin', labelKey: 'pinchange.new', hintKey: 'pinchange.new.hint', ...PIN_BOX },
      { field: 'confirm_pin', labelKey: 'pinchange.confirm', hintKey: 'pinchange.confirm.hint', ...PIN_BOX },
    ],
    check,
    save: (v) => api.changePin(v.current_pin, v.new_pin),
    fromApi,
    wrongCode: 'WRONG_PIN',
    buttonClass: 'button-big',
  });
}
