// The live Demo Day in the browser: questions, votes and applause in the stage's Q&A section,
// and on every page the hosts' announcements, invitations (`gather`) and guided tour.
// Protocol: docs/protocol.md ("Demo Day"). Visitor text is always set with textContent.
//
// DOM hooks (stable; browser tests rely on them):
//   #live-qa[data-qa-session]  the Q&A section (templates/live/qa.html), for one agenda session;
//                              `hidden` parts (.live-qa-live) are shown once this script runs
//   #live-qa-form              #live-qa-input (textarea), #live-qa-status (role=status)
//   #live-qa-list              li.live-qa-item[data-question-id], most votes first: .live-qa-text,
//                              .live-qa-meta, button.live-qa-vote[aria-pressed] with .live-qa-votes
//   #live-qa-empty             shown while there is no question
//   #live-applaud              the applause button; #live-applause-count the total (plain text),
//                              #live-applause-status (role=status) reads it at most every 5 s
//   #live-demoday              notices at the top of <main>, on every page:
//     #live-announcement       polite live region: the last announcement (.live-announcement-text)
//     #live-gather             polite live region: the invitation and its link (a.live-gather-go)
//     #live-tour               the tour (.live-tour-text) and the opt-in #live-tour-follow checkbox
//     #live-tour-lead          hosts only (the `enter` ack said `host`): button[aria-pressed] that
//                              starts or ends a tour led from this page; absent for visitors
//
// Storage: localStorage "gallery.live.votes" = {session: [question ids voted]},
//          "gallery.live.follow" = "1" when the visitor follows guided tours.

import { errorText } from "./live-i18n.js";
import { fillUrl } from "./live-urls.js";

const ACK_TIMEOUT = 5000;
const APPLAUSE_SPEAK = 5000; // ms between two readings of the applause total
const VOTES_KEY = "gallery.live.votes";
const FOLLOW_KEY = "gallery.live.follow";

function readStored(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

function writeStored(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage blocked or full: it lasts for this page.
  }
}

/** The questions and applause of one session, in the stage's #live-qa section. */
export class QuestionsPanel {
  constructor(ctx, root) {
    this.ctx = ctx;
    const doc = ctx.doc;
    this.root = root;
    this.session = root.dataset.qaSession;
    this.form = doc.getElementById("live-qa-form");
    this.input = doc.getElementById("live-qa-input");
    this.status = doc.getElementById("live-qa-status");
    this.list = doc.getElementById("live-qa-list");
    this.empty = doc.getElementById("live-qa-empty");
    this.applaudButton = doc.getElementById("live-applaud");
    this.applauseCount = doc.getElementById("live-applause-count");
    this.applauseStatus = doc.getElementById("live-applause-status");
    this.count = 0;
    this.spokenAt = 0;
    this.speakTimer = 0;
    const votes = readStored(VOTES_KEY, {});
    this.voted = new Set(Array.isArray(votes[this.session]) ? votes[this.session] : []);
    for (const el of root.querySelectorAll(".live-qa-live")) el.hidden = false;
    this.form?.addEventListener("submit", (event) => this.ask(event));
    this.applaudButton?.addEventListener("click", () => this.applaud());
    this.list?.addEventListener("click", (event) => {
      const button = event.target.closest("button.live-qa-vote");
      if (button) this.vote(Number(button.dataset.questionId), button);
    });
  }

  /** Load the list over HTTP: at start and after every (re)connection, when events were missed. */
  async refresh() {
    try {
      const url = `/api/sessions/${encodeURIComponent(this.session)}/questions.json`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) this.render(await response.json());
    } catch {
      // Offline: the next `questions` event or reconnection fills the list.
    }
  }

  /** Draw a `questions` event {session, items} for this session. */
  render(data) {
    if (!this.list || !data || data.session !== this.session || !Array.isArray(data.items)) return;
    const { doc } = this.ctx;
    const focused = doc.activeElement?.closest?.("button.live-qa-vote")?.dataset.questionId;
    const items = data.items.filter((q) => q && Number.isInteger(q.id) && typeof q.text === "string");
    this.list.replaceChildren(...items.map((q) => this.item(q)));
    if (this.empty) this.empty.hidden = items.length > 0;
    if (focused) this.list.querySelector(`button[data-question-id="${focused}"]`)?.focus();
    this.list.dataset.count = String(items.length);
  }

  item(q) {
    const { doc, t } = this.ctx;
    const li = doc.createElement("li");
    li.className = "live-qa-item";
    li.dataset.questionId = String(q.id);
    if (q.status === "answered") li.classList.add("live-qa-answered");
    const text = doc.createElement("p");
    text.className = "live-qa-text";
    text.id = `live-qa-text-${q.id}`;
    text.textContent = q.text;
    const meta = doc.createElement("p");
    meta.className = "live-qa-meta";
    meta.textContent = t("qaBy", { name: typeof q.name === "string" ? q.name : "?" });
    if (q.status === "answered") {
      const answered = doc.createElement("strong");
      answered.textContent = ` · ${t("qaAnswered")}`;
      meta.append(answered);
    }
    const votes = Number.isInteger(q.votes) ? q.votes : 0;
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "live-button live-qa-vote";
    button.dataset.questionId = String(q.id);
    button.setAttribute("aria-pressed", this.voted.has(q.id) ? "true" : "false");
    button.setAttribute("aria-describedby", text.id);
    const label = doc.createElement("span");
    label.textContent = t("qaVote");
    const count = doc.createElement("span");
    count.className = "live-qa-votes";
    count.textContent = ` (${t("qaVotes", { n: votes })})`;
    button.append(label, count);
    li.append(text, meta, button);
    return li;
  }

  ask(event) {
    event.preventDefault();
    const { socket, t, lang } = this.ctx;
    const text = this.input.value;
    if (!socket.connected) {
      this.say(t("qaRefused", { error: errorText(lang, "timeout") }));
      return;
    }
    socket.timeout(ACK_TIMEOUT).emit("ask", { session: this.session, text }, (err, ack) => {
      if (err || !ack?.ok) {
        this.say(t("qaRefused", { error: errorText(lang, err ? "timeout" : ack?.error) }));
        return;
      }
      this.input.value = "";
      this.say(t("qaSent"));
    });
  }

  vote(id, button) {
    const { socket, t, lang } = this.ctx;
    if (!Number.isInteger(id) || !socket.connected) return;
    socket.timeout(ACK_TIMEOUT).emit("vote", { question: id }, (err, ack) => {
      if (err || !ack?.ok) {
        this.say(t("qaVoteRefused", { error: errorText(lang, err ? "timeout" : ack?.error) }));
        return;
      }
      this.voted.add(id);
      const all = readStored(VOTES_KEY, {});
      all[this.session] = Array.from(this.voted);
      writeStored(VOTES_KEY, all);
      button.setAttribute("aria-pressed", "true");
      const count = button.querySelector(".live-qa-votes");
      if (count) count.textContent = ` (${t("qaVotes", { n: ack.votes })})`;
    });
  }

  say(text) {
    if (this.status) this.status.textContent = text;
  }

  applaud() {
    const { socket } = this.ctx;
    if (socket.connected) socket.emit("applaud", { session: this.session });
  }

  /** Show an `applause` total at once; let screen readers hear it at most every few seconds. */
  applause(data) {
    if (!data || data.session !== this.session || !Number.isInteger(data.count)) return;
    this.count = data.count;
    const text = this.ctx.t("applause", { n: this.count });
    if (this.applauseCount) this.applauseCount.textContent = text;
    if (!this.applauseStatus || this.speakTimer) return;
    const wait = Math.max(0, this.spokenAt + APPLAUSE_SPEAK - Date.now());
    this.speakTimer = setTimeout(() => {
      this.speakTimer = 0;
      this.spokenAt = Date.now();
      this.applauseStatus.textContent = this.ctx.t("applause", { n: this.count });
    }, wait);
  }
}

/** The hosts' notices on every page: announcements, invitations and the guided tour. */
export class HostNotices {
  constructor(ctx) {
    this.ctx = ctx;
    const { doc, t } = ctx;
    this.titles = null;
    const main = doc.querySelector("main") || doc.body;
    const box = doc.createElement("section");
    box.id = "live-demoday";
    box.className = "live live-demoday";
    box.setAttribute("aria-label", t("announcement"));
    // The live regions exist, empty, before anything is said in them.
    this.announcement = this.region("live-announcement");
    this.gatherBox = this.region("live-gather");
    this.tourBox = doc.createElement("div");
    this.tourBox.id = "live-tour";
    this.tourBox.className = "live-tour";
    this.tourBox.hidden = true;
    this.tourText = doc.createElement("p");
    this.tourText.className = "live-tour-text";
    this.tourText.setAttribute("role", "status");
    const check = doc.createElement("p");
    check.className = "live-check";
    this.follow = doc.createElement("input");
    this.follow.type = "checkbox";
    this.follow.id = "live-tour-follow";
    this.follow.checked = readStored(FOLLOW_KEY, "0") === "1";
    const label = doc.createElement("label");
    label.htmlFor = this.follow.id;
    label.textContent = t("tourFollow");
    check.append(this.follow, label);
    this.tourBox.append(this.tourText, check);
    this.tourRoom = null;
    this.follow.addEventListener("change", () => {
      writeStored(FOLLOW_KEY, this.follow.checked ? "1" : "0");
      if (this.follow.checked && this.tourRoom) this.goFollow(this.tourRoom);
    });
    this.lead = null;
    this.leading = false;
    this.box = box;
    box.append(this.announcement, this.gatherBox, this.tourBox);
    main.prepend(box);
  }

  /** Give a host (as the `enter` ack says) the button that starts and ends a tour; never a visitor. */
  setHost(host) {
    if (!host || this.lead) return;
    const { doc } = this.ctx;
    const p = doc.createElement("p");
    p.className = "live-tour-host";
    this.lead = doc.createElement("button");
    this.lead.type = "button";
    this.lead.id = "live-tour-lead";
    this.lead.className = "live-button live-tour-lead";
    this.lead.addEventListener("click", () => this.toggleTour());
    this.leadStatus = doc.createElement("span");
    this.leadStatus.className = "live-tour-lead-status";
    this.leadStatus.setAttribute("role", "status");
    p.append(this.lead, " ", this.leadStatus);
    this.box.append(p);
    this.showLeading(false);
  }

  showLeading(leading) {
    this.leading = leading;
    if (!this.lead) return;
    this.lead.setAttribute("aria-pressed", leading ? "true" : "false");
    this.lead.textContent = this.ctx.t(leading ? "tourEnd" : "tourStart");
  }

  /** Start a tour led from this page, or end it; the button follows the ack. */
  toggleTour() {
    const { socket, t, lang } = this.ctx;
    const start = !this.leading;
    if (!socket.connected) {
      this.leadStatus.textContent = t("tourRefused", { error: errorText(lang, "timeout") });
      return;
    }
    socket.timeout(ACK_TIMEOUT).emit("tour", { state: start ? "start" : "stop" }, (err, ack) => {
      if (err || !ack?.ok) {
        this.leadStatus.textContent = t("tourRefused", { error: errorText(lang, err ? "timeout" : ack?.error) });
        return;
      }
      this.leadStatus.textContent = "";
      this.showLeading(start);
    });
  }

  region(id) {
    const el = this.ctx.doc.createElement("div");
    el.id = id;
    el.className = id;
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    return el;
  }

  roomUrl(room) {
    const body = this.ctx.doc.body;
    // A tour's guide may stand in the lobby (docs/protocol.md).
    if (room === "@lobby") return fillUrl(body.dataset.urlLobby || "/{lang}/", { lang: body.dataset.lang });
    return fillUrl(body.dataset.urlRoom || "/{lang}/rooms/{room}/", { lang: body.dataset.lang, room });
  }

  async title(room) {
    if (room === "@lobby") return this.ctx.t("theLobby");
    if (!this.titles) {
      this.titles = new Map();
      try {
        const response = await fetch("/api/gallery.json", { headers: { Accept: "application/json" } });
        const data = response.ok ? await response.json() : {};
        for (const r of Array.isArray(data?.rooms) ? data.rooms : []) {
          const title = r?.title?.[this.ctx.lang] ?? Object.values(r?.title ?? {})[0];
          if (typeof r?.slug === "string" && typeof title === "string") this.titles.set(r.slug, title);
        }
      } catch {
        // Slugs will do.
      }
    }
    return this.titles.get(room) || room;
  }

  /** Show an `announcement` {text, at}; the polite region reads it once. */
  announce(data) {
    if (!data || typeof data.text !== "string") return;
    const { doc, t } = this.ctx;
    const p = doc.createElement("p");
    p.className = "live-announcement-body";
    const head = doc.createElement("strong");
    head.textContent = t("announcement");
    const text = doc.createElement("span");
    text.className = "live-announcement-text";
    text.textContent = data.text;
    const close = doc.createElement("button");
    close.type = "button";
    close.className = "live-button live-dismiss";
    close.textContent = t("dismiss");
    close.addEventListener("click", () => this.announcement.replaceChildren());
    p.append(head, " — ", text, " ", close);
    this.announcement.replaceChildren(p);
  }

  /** Offer to follow a `gather` {room}: a link, never a move. */
  async gather(data) {
    if (!data || typeof data.room !== "string") return;
    const { doc, t } = this.ctx;
    const title = await this.title(data.room);
    const p = doc.createElement("p");
    p.append(t("gather", { room: title }), " ");
    if (doc.body.dataset.room !== data.room) {
      const go = doc.createElement("a");
      go.className = "live-gather-go";
      go.href = this.roomUrl(data.room);
      go.textContent = t("gatherGo");
      p.append(go);
    }
    this.gatherBox.replaceChildren(p);
  }

  /** Show a `tour` {touring, room}; go along only when the visitor opted in. */
  async tour(data) {
    if (!data) return;
    const { t } = this.ctx;
    if (!data.touring) {
      this.showLeading(false);
      this.tourRoom = null;
      this.tourText.textContent = t("tourOff");
      return;
    }
    if (typeof data.room !== "string") return;
    this.tourRoom = data.room;
    this.tourBox.hidden = false;
    this.tourText.textContent = t("tourOn", { room: await this.title(data.room) });
    if (this.follow.checked) this.goFollow(data.room);
  }

  goFollow(room) {
    const here = this.ctx.doc.body.dataset.room || this.ctx.doc.querySelector("[data-live-place]")?.dataset.livePlace;
    if (here !== room) location.assign(this.roomUrl(room));
  }
}

/** Wire the Demo Day to a connected socket: the stage's panel if the page has one, notices always. */
export function startDemoDay(ctx) {
  const { doc, socket, t } = ctx;
  const notices = new HostNotices(ctx);
  const root = doc.getElementById("live-qa");
  let panel = null;
  if (root?.dataset.qaSession) {
    for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    panel = new QuestionsPanel(ctx, root);
  }
  // On every (re)connection: `questions` events may have been missed meanwhile.
  socket.on("connect", () => panel?.refresh());
  socket.on("questions", (data) => panel?.render(data));
  socket.on("applause", (data) => panel?.applause(data));
  socket.on("announcement", (data) => notices.announce(data));
  socket.on("gather", (data) => notices.gather(data));
  socket.on("tour", (data) => notices.tour(data));
  return { panel, notices };
}
