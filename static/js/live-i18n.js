// Interface strings of the live parts, in French and English.
// The page language comes from <html lang> (or <body data-lang>); other languages get English.

const STRINGS = {
  en: {
    hereNow: "Here now",
    rightNow: "Right now",
    presenceCount: { one: "{n} visitor here", other: "{n} visitors here" },
    roomCount: { one: "{n} visitor", other: "{n} visitors" },
    total: { one: "{n} visitor in the gallery", other: "{n} visitors in the gallery" },
    you: "you",
    invisibleSelf: "invisible: counted, not listed",
    inRoom: "in the room",
    atExhibit: "at {title}",
    others: { one: "and {n} more visitor, not listed", other: "and {n} more visitors, not listed" },
    atThisExhibit: { one: "{n} visitor at this exhibit", other: "{n} visitors at this exhibit" },
    more: "+{n}",
    moreLabel: { one: "and {n} more", other: "and {n} more" },
    defaultName: "Visitor {n}",
    identity: "Your pseudonym",
    nameLabel: "Pseudonym (optional)",
    nameHint: "Shown to the other visitors. Leave it empty to be “{name}”.",
    invisible: "Invisible (counted, not listed)",
    save: "Save",
    saved: "Saved.",
    chat: "Room chat",
    chatLabel: "Message",
    chatSend: "Send",
    chatEmpty: "No message yet. Say hello!",
    chatHistory: "Earlier messages",
    chatOffline: "You are offline; the message was not sent.",
    chatRefused: "Message not sent: {error}.",
    offline: "Offline — reconnecting…",
    online: "Back online.",
    enterRefused: "The live features are unavailable here: {error}.",
    errors: {
      "bad payload": "the request was malformed",
      "unknown room": "this room is not open any more",
      "unknown exhibit": "this exhibit is not shown any more",
      "not in a room": "you are not in a room yet",
      "empty message": "the message is empty",
      "message too long": "the message is too long",
      "rate limited": "too many messages at once, wait a moment",
      "internal error": "the server had a problem",
      timeout: "the server did not answer",
    },
  },
  fr: {
    hereNow: "Ici maintenant",
    rightNow: "En ce moment",
    presenceCount: { one: "{n} visiteur ici", other: "{n} visiteurs ici" },
    roomCount: { one: "{n} visiteur", other: "{n} visiteurs" },
    total: { one: "{n} visiteur dans la galerie", other: "{n} visiteurs dans la galerie" },
    you: "vous",
    invisibleSelf: "invisible : compté, pas listé",
    inRoom: "dans la salle",
    atExhibit: "devant {title}",
    others: { one: "et {n} autre visiteur, non listé", other: "et {n} autres visiteurs, non listés" },
    atThisExhibit: { one: "{n} visiteur devant ce projet", other: "{n} visiteurs devant ce projet" },
    more: "+{n}",
    moreLabel: { one: "et {n} autre", other: "et {n} autres" },
    defaultName: "Visiteur {n}",
    identity: "Votre pseudonyme",
    nameLabel: "Pseudonyme (facultatif)",
    nameHint: "Visible des autres visiteurs. Laissez vide pour être « {name} ».",
    invisible: "Invisible (compté, pas listé)",
    save: "Enregistrer",
    saved: "Enregistré.",
    chat: "Discussion de la salle",
    chatLabel: "Message",
    chatSend: "Envoyer",
    chatEmpty: "Pas encore de message. Dites bonjour !",
    chatHistory: "Messages précédents",
    chatOffline: "Vous êtes hors ligne ; le message n’a pas été envoyé.",
    chatRefused: "Message non envoyé : {error}.",
    offline: "Hors ligne — reconnexion…",
    online: "De nouveau en ligne.",
    enterRefused: "Le direct n’est pas disponible ici : {error}.",
    errors: {
      "bad payload": "la requête était mal formée",
      "unknown room": "cette salle n’est plus ouverte",
      "unknown exhibit": "ce projet n’est plus exposé",
      "not in a room": "vous n’êtes pas encore dans une salle",
      "empty message": "le message est vide",
      "message too long": "le message est trop long",
      "rate limited": "trop de messages à la fois, patientez un instant",
      "internal error": "le serveur a eu un problème",
      timeout: "le serveur n’a pas répondu",
    },
  },
};

/** Return the page language as a catalogue key ("fr" or "en"). */
export function pageLanguage(doc = document) {
  const raw = (doc.documentElement.lang || doc.body?.dataset.lang || "en").toLowerCase();
  const primary = raw.split("-")[0];
  return primary in STRINGS ? primary : "en";
}

/** Return a translator for `lang`: t(key, {n, ...}) picks plural forms and fills {placeholders}. */
export function translator(lang) {
  const table = STRINGS[lang] || STRINGS.en;
  const plural = new Intl.PluralRules(lang);
  return function t(key, values = {}) {
    let text = table[key] ?? STRINGS.en[key] ?? key;
    if (typeof text === "object") {
      text = text[plural.select(values.n ?? 0)] ?? text.other;
    }
    return String(text).replace(/\{(\w+)\}/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  };
}

/** Return the visitor-facing explanation of a server error code, in `lang`. */
export function errorText(lang, error) {
  const table = (STRINGS[lang] || STRINGS.en).errors;
  return table[error] || String(error || table["internal error"]);
}

/** Fill every [data-i18n] element under `root` with its string, as text. */
export function fillStrings(root, t) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
}
