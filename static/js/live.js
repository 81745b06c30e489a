// Live presence in the browser: a progressive enhancement over pages that work without it.
//
// Protocol: docs/protocol.md. The socket.io client is vendored in /static/vendor/socket.io/.
//
// DOM hooks (stable; browser tests rely on them):
//   <html data-live-state>   "connecting" | "online" (connected, not in a room) | "entered"
//                            (the `enter` ack said ok) | "offline" | "refused" | "degraded" (the
//                            servers lost their shared store: `enter` is tried again until it works)
//   <body data-lang data-room data-exhibit>  page language, room slug, exhibit slug (from the pages)
//   [data-live-place]        the place a page without data-room enters: "@lobby" on the lobby's
//                            #live-lobby (the lobby is a place with its visitors and chat)
//   <body data-url-exhibit>  exhibit page URL template, "/{lang}/rooms/{room}/{exhibit}/" (the server's
//                            URL layout; live-urls.js fills and reads it)
//   [data-live-root]         the partials' roots (#live, #live-lobby); `hidden` until this script runs.
//                            Both hold the "Here now" list and the chat below.
//   #presence-count          the room's live count (role=status, polite, atomic; changes at most
//                            every 3 s); its data-count holds the number
//   #live-connection         connection status (role=status): p.live-notice.live-offline while offline,
//                            .live-degraded while live presence is unavailable, .live-online for 3 s
//                            after reconnecting or recovering, .live-refused when `enter` is refused
//   #live-visitors           "Here now" list: li.live-visitor[data-visitor-id], the visitor's own row
//                            li.live-visitor-own first; each row has .live-avatar, .live-name, .live-place
//   #live-here-count         "(N)" after the "Here now" heading
//   #live-others             "and N more visitors, not listed" (invisible or beyond the list cap)
//   .live-at-exhibit[data-live-exhibit=slug]  avatars gathered at an exhibit panel, a ul.live-avatars
//                            of li.live-avatar-item (title = name); a panel is an element with
//                            data-exhibit (not <body>), else the li/article holding a link to the exhibit
//   .live-avatar             initials on the colour the server gave the visitor in this room (the
//                            --live-avatar custom property; `colour` in docs/protocol.md), grey
//                            while unknown; .live-avatar-own marks the visitor's own
//   #live-identity-form      #live-name (pseudonym), #live-invisible (checkbox), #live-identity-status
//   #live-chat-form          #live-chat-input, #live-chat-error (role=status)
//   #live-chat-scroll        scroll box holding #live-chat-history (ack history, not announced) and
//                            #live-chat-log (role=log, new messages); items div.live-message with
//                            .live-message-name, .live-message-time, .live-message-text
//   [data-room-count=slug]   floor-plan and door badges (from the pages), filled with the room's count:
//                            class live-room-count (+ live-room-empty at 0), data-count, children
//                            .live-room-number (shown) and .live-sr ("(3 visitors)", for screen readers)
//   #live-total              lobby: visitors in the whole gallery, the lobby's included; data-count set
//   window.galleryLive       {socket, presence, chat, occupancy, identity, demoday, plan} for debugging and tests
//   svg.plan[data-plan]      the lobby's floor plan: dots and counts from the `plan` feed (live-plan.js)
//   #live-whereabouts        the lobby's list of who is in which room, from the same feed (live-whereabouts.js)
//   Demo Day hooks (#live-qa, #live-demoday...): see live-qa.js
//
// Storage: localStorage "gallery.live.identity" = {name, number, invisible, colour (picked, or ""),
//          lastColour (the last one a room gave)},
//          "gallery.live.token" = the random token sent in the Socket.IO `auth`.

import { io } from "../vendor/socket.io/socket.io.esm.min.js";
import { fillStrings, pageLanguage, translator, errorText } from "./live-i18n.js";
import { bindIdentityForm, loadIdentity, saveIdentity, validColour, visitorToken } from "./live-identity.js";
import { startDemoDay } from "./live-qa.js";
import { offerWelcome } from "./live-welcome.js";
import { Presence } from "./live-presence.js";
import { Chat } from "./live-chat.js";
import { Occupancy } from "./live-occupancy.js";
import { fillUrl, urlReader } from "./live-urls.js";
import { LivePlan } from "./live-plan.js";
import { Whereabouts } from "./live-whereabouts.js";

const LOBBY = "@lobby"; // the lobby's place in `enter` (docs/protocol.md)

const ENTER_TIMEOUT = 5000;
const ONLINE_NOTICE = 3000; // ms the "Back online" notice stays
const DEGRADED_RETRY = 3000; // ms between two `enter` while the servers answer `unavailable`

function setState(state) {
  document.documentElement.dataset.liveState = state;
}

/** Build and read the URLs of this room's exhibit pages, from the layout the page carries. */
function exhibitUrls(body, room) {
  const template = body.dataset.urlExhibit || "";
  const values = { lang: body.dataset.lang || "", room };
  return {
    exhibitUrl: (slug) => fillUrl(template, { ...values, exhibit: slug }),
    exhibitOf: urlReader(template, values, "exhibit"),
  };
}

/** Read exhibit titles of `room` from /api/gallery.json, tolerating its text shapes. */
async function fetchTitles(room, lang) {
  try {
    const response = await fetch("/api/gallery.json", { headers: { Accept: "application/json" } });
    if (!response.ok) return [];
    const data = await response.json();
    const rooms = Array.isArray(data?.rooms) ? data.rooms : [];
    const found = rooms.find((r) => r && r.slug === room);
    const text = (value) =>
      typeof value === "string" ? value : value && typeof value === "object" ? value[lang] ?? Object.values(value)[0] : "";
    return (found?.exhibits ?? [])
      .filter((e) => e && typeof e.slug === "string")
      .map((e) => [e.slug, String(text(e.title) || e.slug)]);
  } catch {
    return [];
  }
}

function start() {
  const doc = document;
  const body = doc.body;
  // A room's page, or the lobby, which is a place too (its slug can be no room's).
  const room = body.dataset.room || doc.querySelector("[data-live-place]")?.dataset.livePlace || null;
  const lobby = room === LOBBY;
  const exhibit = body.dataset.room ? body.dataset.exhibit || null : null;
  const lang = pageLanguage(doc);
  const t = translator(lang);

  const roots = Array.from(doc.querySelectorAll("[data-live-root]"));
  const occupancy = new Occupancy({ doc, t });
  // Every page connects: the hosts' announcements, invitations and tour reach all of them.

  const identity = loadIdentity();
  for (const root of roots) {
    fillStrings(root, t);
    root.hidden = false;
  }
  const countEl = doc.getElementById("presence-count");
  if (countEl) countEl.hidden = false;

  setState("connecting");
  const socket = io({
    transports: ["websocket", "polling"],
    tryAllTransports: true, // a proxy that blocks websockets falls back to long polling
    auth: { token: visitorToken() }, // votes count once per visitor (docs/protocol.md)
  });

  const demoday = startDemoDay({ doc, t, lang, socket });

  let selfId = null;
  let entered = false;
  let enterSeq = 0;
  let historyLoaded = false;
  let leaving = false;
  let wasOffline = false;
  let wasDegraded = false;
  let noticeTimer = 0;

  const presence = room
    ? new Presence({ doc, t, lang, room, lobby, exhibit, identity, ...exhibitUrls(body, room) })
    : null;
  const chat = room
    ? new Chat({
        doc,
        t,
        lang,
        socket,
        isEntered: () => entered,
        selfId: () => selfId,
        colourOf: (id) => presence.colourOf(id),
      })
    : null;

  // The floor plan, live: the page watches the gallery-wide feed (docs/protocol.md, `watch`).
  const planSvg = doc.querySelector("svg.plan[data-plan]");
  const plan = planSvg ? new LivePlan({ doc, svg: planSvg, t, selfId: () => selfId }) : null;
  const whereaboutsList = doc.getElementById("live-whereabouts");
  const whereabouts = whereaboutsList
    ? new Whereabouts({ doc, list: whereaboutsList, empty: doc.getElementById("live-whereabouts-empty"), t, selfId: () => selfId })
    : null;
  function applyPlan(data) {
    plan?.apply(data);
    whereabouts?.apply(data);
  }
  function watchPlan() {
    if (!(plan || whereabouts) || !socket.connected) return;
    socket.timeout(ENTER_TIMEOUT).emit("watch", { plan: true }, (err, ack) => {
      if (err) {
        if (socket.connected) setTimeout(watchPlan, 1000); // no answer: try again
        return;
      }
      if (ack && ack.ok) applyPlan(ack.plan);
      else if (ack && ack.error === "unavailable") setTimeout(watchPlan, DEGRADED_RETRY);
    });
  }

  const connection = doc.getElementById("live-connection");
  function notice(text, kind) {
    if (!connection) return;
    clearTimeout(noticeTimer);
    if (!text) {
      connection.replaceChildren();
      return;
    }
    const p = doc.createElement("p");
    p.className = `live-notice live-${kind}`;
    p.textContent = text;
    connection.replaceChildren(p);
  }

  function offline() {
    if (leaving) return;
    entered = false;
    setState("offline");
    if (!wasOffline) notice(t("offline"), "offline");
    wasOffline = true;
  }

  function enter() {
    if (!room || !socket.connected) return;
    const seq = ++enterSeq;
    // No pseudonym: send none, and show the default name the server gives (one number, one word).
    const payload = { room, name: identity.name, invisible: identity.invisible };
    // The colour picked, else the one last given: a visitor keeps theirs from room to room
    // while nobody there wears it (docs/protocol.md).
    const colour = identity.colour || identity.lastColour;
    if (colour) payload.colour = colour;
    if (exhibit) payload.exhibit = exhibit;
    socket.timeout(ENTER_TIMEOUT).emit("enter", payload, (err, ack) => {
      if (seq !== enterSeq) return; // a newer `enter` went out since
      if (err) {
        if (socket.connected) setTimeout(enter, 1000); // no answer: try again
        return;
      }
      if (ack && ack.error === "unavailable") {
        // The servers lost their shared store for a moment: the page works on, live waits.
        entered = false;
        setState("degraded");
        if (!wasDegraded) notice(t("degraded"), "degraded");
        wasDegraded = true;
        setTimeout(enter, DEGRADED_RETRY);
        return;
      }
      if (!ack || !ack.ok) {
        entered = false;
        setState("refused");
        notice(t("enterRefused", { error: errorText(lang, ack?.error) }), "refused");
        return;
      }
      entered = true;
      if (wasDegraded) {
        wasDegraded = false;
        notice(t("online"), "online");
        noticeTimer = setTimeout(() => notice(""), ONLINE_NOTICE);
      }
      selfId = typeof ack.id === "string" ? ack.id : null;
      if (!identity.name && typeof ack.name === "string") {
        identity.given = ack.name;
        refreshForm();
        refreshWelcome();
      }
      if (!welcomeOffered) {
        // Once live works, and once the default name the others see is known.
        welcomeOffered = true;
        refreshWelcome = offerWelcome({ doc, t, identity, nameMax: nameMax(), onChoose: identityChanged });
      }
      if (validColour(ack.colour) && ack.colour !== identity.lastColour) {
        identity.lastColour = ack.colour;
        saveIdentity(identity);
      }
      demoday.notices.setHost(ack.host === true);
      presence.reset(ack);
      if (!historyLoaded) {
        chat.loadHistory(ack.chat);
        historyLoaded = true;
      }
      setState("entered");
    });
  }

  socket.on("connect", () => {
    historyLoaded = false;
    setState(room ? "connecting" : "online");
    if (wasOffline) {
      wasOffline = false;
      notice(t("online"), "online");
      noticeTimer = setTimeout(() => notice(""), ONLINE_NOTICE);
    }
    // On every (re)connection: the server forgot us, so enter the room again.
    enter();
    watchPlan();
  });
  socket.on("disconnect", (reason) => {
    offline();
    // The server closed the connection on purpose (e.g. a restart): socket.io does not retry then.
    if (reason === "io server disconnect" && !leaving) setTimeout(() => socket.connect(), 1000 + Math.random() * 2000);
  });
  socket.on("connect_error", offline);
  socket.on("presence", (event) => presence?.apply(event));
  socket.on("chat", (message) => chat?.receive(message));
  socket.on("occupancy", (data) => occupancy.apply(data));
  socket.on("plan", applyPlan);

  if (occupancy.wanted) occupancy.fetchInitial();

  function identityChanged() {
    refreshForm();
    presence?.updateSelf();
    enter();
  }
  const form = doc.getElementById("live-identity-form");
  const refreshForm = form ? bindIdentityForm(form, identity, t, identityChanged) : () => {};
  const nameMax = () => Number(doc.getElementById("live-name")?.maxLength) || 40;
  let welcomeOffered = false;
  let refreshWelcome = () => {};

  if (presence) {
    presence.drawSelf();
    if (exhibit) {
      const h1 = doc.querySelector("main h1, h1");
      if (h1) presence.learnTitles([[exhibit, h1.textContent.replace(/\s+/g, " ").trim()]]);
    }
    if (!lobby && (exhibit || presence.panels.size === 0)) fetchTitles(room, lang).then((titles) => presence.learnTitles(titles));
  }

  // Leaving the page: say goodbye at once rather than after the server's ping timeout,
  // and come back when the page is restored from the back/forward cache.
  addEventListener("pagehide", () => {
    leaving = true;
    socket.disconnect();
  });
  addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    leaving = false;
    if (!socket.connected) socket.connect();
  });

  window.galleryLive = Object.freeze({ socket, presence, chat, occupancy, identity, demoday, plan });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
