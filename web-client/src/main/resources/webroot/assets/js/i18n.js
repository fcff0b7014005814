// The words of the kiosk and the family portal, in English and Welsh, in one table a translator
// can check line by line: every key has an `en` and a `cy` text side by side. The language is the
// user's choice, remembered on this device (localStorage), and set as <html lang> so screen
// readers pronounce it right. `{name}` in a text is filled from the vars given to t().

const TEXTS = {
  'lang.switch': { en: 'Cymraeg', cy: 'English' },
  'skip': { en: 'Skip to main content', cy: 'Neidio i’r prif gynnwys' },
  'loading': { en: 'Loading…', cy: 'Yn llwytho…' },
  'error.prefix': { en: 'Error:', cy: 'Gwall:' },
  'error.network': { en: 'Kinlink could not be reached. Try again in a moment.', cy: 'Doedd dim modd cyrraedd Kinlink. Rhowch gynnig arall arni mewn munud.' },
  'error.unexpected': { en: 'Something went wrong. Try again.', cy: 'Aeth rhywbeth o’i le. Rhowch gynnig arall arni.' },
  'error.session': { en: 'You have been signed out. Sign in again.', cy: 'Rydych wedi cael eich allgofnodi. Mewngofnodwch eto.' },

  'kiosk.title': { en: 'Kinlink kiosk', cy: 'Ciosg Kinlink' },
  'portal.title': { en: 'Kinlink family portal', cy: 'Porth teulu Kinlink' },

  'signin.title': { en: 'Sign in', cy: 'Mewngofnodi' },
  'signin.kiosk.intro': { en: 'Type your prison number and your PIN.', cy: 'Teipiwch eich rhif carchar a’ch PIN.' },
  'signin.portal.intro': { en: 'Sign in to write to your family member in prison.', cy: 'Mewngofnodwch i ysgrifennu at eich aelod o’r teulu yn y carchar.' },
  'signin.prison.number': { en: 'Prison number', cy: 'Rhif carchar' },
  'signin.prison.number.hint': { en: 'For example A1234BC', cy: 'Er enghraifft A1234BC' },
  'signin.pin': { en: 'PIN', cy: 'PIN' },
  'signin.email': { en: 'Email address', cy: 'Cyfeiriad e-bost' },
  'signin.password': { en: 'Password', cy: 'Cyfrinair' },
  'signin.otp': { en: 'One-time code', cy: 'Cod un-tro' },
  'signin.otp.hint': { en: 'The 6-digit code from your authenticator app.', cy: 'Y cod 6 digid o’ch ap dilysu.' },
  'signin.otp.needed': { en: 'Type the one-time code from your authenticator app.', cy: 'Teipiwch y cod un-tro o’ch ap dilysu.' },
  'signin.submit': { en: 'Sign in', cy: 'Mewngofnodi' },
  'signin.missing': { en: 'Fill in every box.', cy: 'Llenwch bob blwch.' },
  'signin.wrong': { en: 'That did not match. Check and try again.', cy: 'Doedd hynny ddim yn cyfateb. Gwiriwch a rhowch gynnig arall arni.' },
  'signin.locked': { en: 'Too many tries. Wait a while, then try again.', cy: 'Gormod o ymdrechion. Arhoswch am ychydig, yna rhowch gynnig arall arni.' },
  'signin.no.device': { en: 'This screen is not set up yet.', cy: 'Dydy’r sgrin hon ddim wedi’i gosod eto.' },
  'signin.setup': { en: 'Set up this kiosk', cy: 'Gosod y ciosg hwn' },
  'signout': { en: 'Sign out', cy: 'Allgofnodi' },

  'pwchange.title': { en: 'Choose a new password', cy: 'Dewiswch gyfrinair newydd' },
  'pwchange.intro': { en: 'You signed in with a password someone else gave you. Choose a new password that only you know, then carry on.', cy: 'Fe wnaethoch fewngofnodi gyda chyfrinair a roddodd rhywun arall i chi. Dewiswch gyfrinair newydd mai dim ond chi sy’n ei wybod, yna ewch ymlaen.' },
  'pwchange.current': { en: 'Current password', cy: 'Cyfrinair presennol' },
  'pwchange.current.hint': { en: 'The password you have just signed in with.', cy: 'Y cyfrinair rydych newydd fewngofnodi ag ef.' },
  'pwchange.new': { en: 'New password', cy: 'Cyfrinair newydd' },
  'pwchange.new.hint': { en: 'At least 12 characters, and not a common password. Three or four random words make a strong password that is easy to remember.', cy: 'O leiaf 12 nod, a dim cyfrinair cyffredin. Mae tri neu bedwar gair ar hap yn gwneud cyfrinair cryf sy’n hawdd ei gofio.' },
  'pwchange.show': { en: 'Show the passwords', cy: 'Dangos y cyfrineiriau' },
  'pwchange.submit': { en: 'Save new password', cy: 'Cadw’r cyfrinair newydd' },
  'pwchange.signout': { en: 'Sign out instead', cy: 'Allgofnodi yn lle hynny' },
  'pwchange.summary': { en: 'There is a problem', cy: 'Mae problem' },
  'pwchange.current.missing': { en: 'Enter your current password', cy: 'Rhowch eich cyfrinair presennol' },
  'pwchange.current.wrong': { en: 'Your current password is not right: enter the password you signed in with', cy: 'Dydy eich cyfrinair presennol ddim yn gywir: rhowch y cyfrinair y gwnaethoch fewngofnodi ag ef' },
  'pwchange.new.missing': { en: 'Enter a new password', cy: 'Rhowch gyfrinair newydd' },
  'pwchange.new.short': { en: 'Your new password must be at least 12 characters long', cy: 'Rhaid i’ch cyfrinair newydd fod o leiaf 12 nod o hyd' },
  'pwchange.new.common': { en: 'Your new password is too easy to guess: choose one that is not a common password and does not contain your email address', cy: 'Mae’n rhy hawdd dyfalu eich cyfrinair newydd: dewiswch un nad yw’n gyfrinair cyffredin ac nad yw’n cynnwys eich cyfeiriad e-bost' },
  'pwchange.new.same': { en: 'Your new password must be different from your current one', cy: 'Rhaid i’ch cyfrinair newydd fod yn wahanol i’r un presennol' },
  'pwchange.locked': { en: 'Too many wrong tries. Wait 15 minutes, then try again, or ask an administrator.', cy: 'Gormod o ymdrechion anghywir. Arhoswch 15 munud, yna rhowch gynnig arall arni, neu gofynnwch i weinyddwr.' },
  'pwchange.network': { en: 'Kinlink could not be reached, so your password is not changed yet. Try again in a moment.', cy: 'Doedd dim modd cyrraedd Kinlink, felly dydy eich cyfrinair ddim wedi newid eto. Rhowch gynnig arall arni mewn munud.' },
  'pwchange.failed': { en: 'Your password could not be changed. Try again; if it keeps happening, ask an administrator.', cy: 'Doedd dim modd newid eich cyfrinair. Rhowch gynnig arall arni; os yw’n dal i ddigwydd, gofynnwch i weinyddwr.' },
  'pwchange.done': { en: 'Your password is changed. Only you know it now.', cy: 'Mae eich cyfrinair wedi newid. Dim ond chi sy’n ei wybod nawr.' },

  // the kiosk's "Choose your own PIN", after a sign-in with a PIN staff set
  'pinchange.title': { en: 'Choose your own PIN', cy: 'Dewiswch eich PIN eich hun' },
  'pinchange.intro': { en: 'A member of staff gave you the PIN you signed in with, so they know it. Choose a new PIN that only you know.', cy: 'Aelod o staff roddodd y PIN y gwnaethoch fewngofnodi ag ef i chi, felly maen nhw’n ei wybod. Dewiswch PIN newydd mai dim ond chi sy’n ei wybod.' },
  'pinchange.current': { en: 'The PIN you signed in with', cy: 'Y PIN y gwnaethoch fewngofnodi ag ef' },
  'pinchange.current.hint': { en: 'The PIN staff gave you.', cy: 'Y PIN a roddodd staff i chi.' },
  'pinchange.new': { en: 'Your new PIN', cy: 'Eich PIN newydd' },
  'pinchange.new.hint': { en: '4 to 8 numbers. Not the same number again and again, like 1111. Not numbers in a row, like 1234. Not the numbers from your prison number.', cy: '4 i 8 rhif. Nid yr un rhif dro ar ôl tro, fel 1111. Nid rhifau yn eu trefn, fel 1234. Nid y rhifau o’ch rhif carchar.' },
  'pinchange.confirm': { en: 'Your new PIN again', cy: 'Eich PIN newydd eto' },
  'pinchange.confirm.hint': { en: 'Type the same new PIN again, to check it.', cy: 'Teipiwch yr un PIN newydd eto, i’w wirio.' },
  'pinchange.submit': { en: 'Save my new PIN', cy: 'Cadw fy PIN newydd' },
  'pinchange.signout': { en: 'Sign out', cy: 'Allgofnodi' },
  'pinchange.summary': { en: 'There is a problem', cy: 'Mae problem' },
  'pinchange.current.missing': { en: 'Type the PIN you signed in with.', cy: 'Teipiwch y PIN y gwnaethoch fewngofnodi ag ef.' },
  'pinchange.current.wrong': { en: 'That is not the PIN you signed in with. Type it again.', cy: 'Nid dyna’r PIN y gwnaethoch fewngofnodi ag ef. Teipiwch ef eto.' },
  'pinchange.new.missing': { en: 'Type your new PIN.', cy: 'Teipiwch eich PIN newydd.' },
  'pinchange.new.format': { en: 'Your new PIN must be 4 to 8 numbers.', cy: 'Rhaid i’ch PIN newydd fod yn 4 i 8 rhif.' },
  'pinchange.new.repeated': { en: 'Your new PIN is too easy to guess. Do not use the same number again and again, like 1111.', cy: 'Mae’n rhy hawdd dyfalu eich PIN newydd. Peidiwch â defnyddio’r un rhif dro ar ôl tro, fel 1111.' },
  'pinchange.new.sequence': { en: 'Your new PIN is too easy to guess. Do not use numbers in a row, like 1234 or 9876.', cy: 'Mae’n rhy hawdd dyfalu eich PIN newydd. Peidiwch â defnyddio rhifau yn eu trefn, fel 1234 neu 9876.' },
  'pinchange.new.prison': { en: 'Your new PIN is too easy to guess. Do not use the numbers from your prison number.', cy: 'Mae’n rhy hawdd dyfalu eich PIN newydd. Peidiwch â defnyddio’r rhifau o’ch rhif carchar.' },
  'pinchange.new.same': { en: 'Your new PIN must be different from the PIN you signed in with.', cy: 'Rhaid i’ch PIN newydd fod yn wahanol i’r PIN y gwnaethoch fewngofnodi ag ef.' },
  'pinchange.confirm.missing': { en: 'Type your new PIN again.', cy: 'Teipiwch eich PIN newydd eto.' },
  'pinchange.confirm.mismatch': { en: 'The two new PINs are not the same. Type your new PIN again.', cy: 'Dydy’r ddau PIN newydd ddim yr un fath. Teipiwch eich PIN newydd eto.' },
  'pinchange.locked': { en: 'Too many wrong tries. Wait 15 minutes, then try again, or ask a member of staff.', cy: 'Gormod o ymdrechion anghywir. Arhoswch 15 munud, yna rhowch gynnig arall arni, neu gofynnwch i aelod o staff.' },
  'pinchange.network': { en: 'Kinlink could not be reached, so your PIN is not changed yet. Try again in a moment.', cy: 'Doedd dim modd cyrraedd Kinlink, felly dydy eich PIN ddim wedi newid eto. Rhowch gynnig arall arni mewn munud.' },
  'pinchange.failed': { en: 'Your PIN could not be changed. Try again. If it keeps happening, ask a member of staff.', cy: 'Doedd dim modd newid eich PIN. Rhowch gynnig arall arni. Os yw’n dal i ddigwydd, gofynnwch i aelod o staff.' },
  'pinchange.done': { en: 'Your PIN is changed. Only you know it now.', cy: 'Mae eich PIN wedi newid. Dim ond chi sy’n ei wybod nawr.' },

  'list.title': { en: 'Your messages', cy: 'Eich negeseuon' },
  'list.empty': { en: 'There is nobody you can write to yet.', cy: 'Does neb y gallwch ysgrifennu atyn nhw eto.' },
  'list.unread': { en: '{n} new', cy: '{n} newydd' },
  'list.for.child': { en: 'You read and write for {child}', cy: 'Rydych chi’n darllen ac yn ysgrifennu ar ran {child}' },
  'list.held.by': { en: 'Read by {adult}', cy: 'Yn cael ei darllen gan {adult}' },

  'thread.title': { en: 'Messages with {name}', cy: 'Negeseuon gyda {name}' },
  'thread.back': { en: 'Back to your messages', cy: 'Yn ôl i’ch negeseuon' },
  'thread.empty': { en: 'No messages yet.', cy: 'Dim negeseuon eto.' },
  'thread.you': { en: 'You', cy: 'Chi' },
  'thread.you.for': { en: 'You, for {child}', cy: 'Chi, ar ran {child}' },
  'thread.write': { en: 'Your message', cy: 'Eich neges' },
  'thread.send': { en: 'Send', cy: 'Anfon' },
  'thread.sending': { en: 'Sending…', cy: 'Yn anfon…' },
  'thread.empty.body': { en: 'Write something first.', cy: 'Ysgrifennwch rywbeth yn gyntaf.' },
  'thread.remaining': { en: 'You can send {n} more today.', cy: 'Gallwch anfon {n} arall heddiw.' },
  'thread.remaining.none': { en: 'You cannot send more messages today.', cy: 'Allwch chi ddim anfon rhagor o negeseuon heddiw.' },
  'thread.not.sent': { en: 'Not sent: {why}', cy: 'Heb ei hanfon: {why}' },
  'thread.sent.ok': { en: 'Your message was sent.', cy: 'Mae eich neges wedi’i hanfon.' },
  'thread.held.ok': { en: 'Your message is being checked before it is delivered.', cy: 'Mae eich neges yn cael ei gwirio cyn iddi gyrraedd.' },
  'thread.deleted': { en: 'This message was deleted after the time messages are kept.', cy: 'Cafodd y neges hon ei dileu ar ôl yr amser y caiff negeseuon eu cadw.' },
  'thread.new': { en: 'New message from {name}', cy: 'Neges newydd gan {name}' },

  // why a message was not sent: the policy's user-safe codes (never a staff reason)
  'deny.CONTACT_UNAVAILABLE': { en: 'You can’t contact this person at the moment.', cy: 'Allwch chi ddim cysylltu â’r person hwn ar hyn o bryd.' },
  'deny.CHANNEL_NOT_ALLOWED': { en: 'This kind of contact isn’t available with this person.', cy: 'Dydy’r math hwn o gyswllt ddim ar gael gyda’r person hwn.' },
  'deny.OUTSIDE_WINDOW': { en: 'You can only write to this person at set times, and this is outside them.', cy: 'Dim ond ar adegau penodol y gallwch ysgrifennu at y person hwn, ac mae hyn y tu allan iddyn nhw.' },
  'deny.LIMIT_REACHED': { en: 'You have sent all the messages you can send to this person today.', cy: 'Rydych chi wedi anfon yr holl negeseuon y gallwch eu hanfon at y person hwn heddiw.' },
  'deny.CONTENT_NOT_ALLOWED': { en: 'Your message has words that are not allowed.', cy: 'Mae geiriau yn eich neges sydd ddim yn cael eu caniatáu.' },
  'deny.NOT_PERMITTED': { en: 'You can’t do this.', cy: 'Allwch chi ddim gwneud hyn.' },
  'deny.SERVICE_UNAVAILABLE': { en: 'This can’t be done right now. Try again later.', cy: 'Does dim modd gwneud hyn ar hyn o bryd. Rhowch gynnig arall arni wedyn.' },
  'deny.MESSAGE_TOO_LONG': { en: 'Your message is too long. Make it shorter.', cy: 'Mae eich neges yn rhy hir. Gwnewch hi’n fyrrach.' },
  'deny.NO_RECIPIENT': { en: 'Nobody can receive messages here yet.', cy: 'Does neb yn gallu derbyn negeseuon yma eto.' },
  'deny.EMPTY_MESSAGE': { en: 'Write something first.', cy: 'Ysgrifennwch rywbeth yn gyntaf.' },
  'deny.INVALID_PHOTO': { en: 'This file is not a photo we can send. Choose a JPEG or PNG picture.', cy: 'Dydy’r ffeil hon ddim yn llun y gallwn ei anfon. Dewiswch lun JPEG neu PNG.' },
  'deny.PHOTO_TOO_LARGE': { en: 'This photo is too big. A photo can be at most 8 MB and 40 million pixels.', cy: 'Mae’r llun hwn yn rhy fawr. Gall llun fod yn 8 MB a 40 miliwn picsel ar y mwyaf.' },
  'deny.OTHER': { en: 'This cannot be sent.', cy: 'Does dim modd anfon hwn.' },

  // photos: sending (the portal) and seeing them (kiosk and portal)
  'photo.title': { en: 'Send a photo', cy: 'Anfon llun' },
  'photo.choose': { en: 'Choose a photo', cy: 'Dewis llun' },
  'photo.choose.hint': { en: 'A JPEG or PNG picture, up to 8 MB. Staff may check it before it is delivered.', cy: 'Llun JPEG neu PNG, hyd at 8 MB. Efallai y bydd staff yn ei wirio cyn iddo gyrraedd.' },
  'photo.send': { en: 'Send photo', cy: 'Anfon y llun' },
  'photo.sending': { en: 'Sending photo…', cy: 'Yn anfon y llun…' },
  'photo.none': { en: 'Choose a photo first.', cy: 'Dewiswch lun yn gyntaf.' },
  'photo.not.sent': { en: 'Photo not sent: {why}', cy: 'Heb anfon y llun: {why}' },
  'photo.sent.ok': { en: 'Your photo was sent.', cy: 'Mae eich llun wedi’i anfon.' },
  'photo.held.ok': { en: 'Your photo is being checked before it is delivered.', cy: 'Mae eich llun yn cael ei wirio cyn iddo gyrraedd.' },
  'photo.from': { en: 'Photo from {name}', cy: 'Llun gan {name}' },
  'photo.yours': { en: 'Your photo', cy: 'Eich llun' },
  'photo.open': { en: 'Photo from {name}: open it full size', cy: 'Llun gan {name}: ei agor yn ei faint llawn' },
  'photo.open.yours': { en: 'Your photo: open it full size', cy: 'Eich llun: ei agor yn ei faint llawn' },
  'photo.close': { en: 'Close the photo', cy: 'Cau’r llun' },
  'photo.loading': { en: 'Loading the photo…', cy: 'Yn llwytho’r llun…' },
  'photo.unavailable': { en: 'This photo cannot be shown.', cy: 'Does dim modd dangos y llun hwn.' },

  'status.SENT': { en: 'Sent', cy: 'Wedi anfon' },
  'status.HELD': { en: 'Being checked', cy: 'Yn cael ei gwirio' },
  'status.DELIVERED': { en: 'Delivered', cy: 'Wedi cyrraedd' },
  'status.READ': { en: 'Read', cy: 'Wedi’i darllen' },
  'status.REJECTED': { en: 'Not delivered', cy: 'Heb gyrraedd' },
  'status.label': { en: 'Status:', cy: 'Statws:' },
  // a photo (llun) is masculine in Welsh where a message (neges) is feminine
  'status.photo.HELD': { en: 'Being checked', cy: 'Yn cael ei wirio' },
  'status.photo.READ': { en: 'Seen', cy: 'Wedi’i weld' },

  'live.on': { en: 'Live', cy: 'Byw' },
  'live.off': { en: 'Reconnecting…', cy: 'Yn ailgysylltu…' },
};

const STORE = 'kinlink.lang';
const listeners = new Set();

function stored() {
  try {
    return window.localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

let current = stored() === 'cy' ? 'cy' : 'en';

/** The language in use: 'en' or 'cy'. */
export function language() {
  return current;
}

/** Switches language, remembers it on this device, sets <html lang> and tells listeners. */
export function setLanguage(l) {
  current = l === 'cy' ? 'cy' : 'en';
  try {
    window.localStorage.setItem(STORE, current);
  } catch {
    // storage off: the choice lasts until the page is closed
  }
  applyLanguage();
  listeners.forEach((fn) => fn(current));
}

/** Sets <html lang> to the language in use. */
export function applyLanguage() {
  document.documentElement.lang = current === 'cy' ? 'cy' : 'en-GB';
}

/** Runs `fn` after every language change (pages redraw their words). */
export function onLanguage(fn) {
  listeners.add(fn);
}

/** The text for `key` in the language in use (English when a Welsh text is missing). */
export function t(key, vars = {}) {
  const entry = TEXTS[key];
  const text = entry ? (entry[current] ?? entry.en) : key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Every key with its texts, for a translator's check (and the test that no Welsh text is missing). */
export function table() {
  return TEXTS;
}
