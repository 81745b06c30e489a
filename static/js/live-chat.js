// The room chat: history from the `enter` ack, new messages from `chat` events,
// sending with an ack. Every piece of visitor text is set with textContent, never as HTML.

import { avatar } from "./live-identity.js";
import { errorText } from "./live-i18n.js";

const KEEP = 200; // messages kept in the page; older ones are dropped from the top
const SEND_TIMEOUT = 5000;

export class Chat {
  /**
   * `ctx` carries: doc, t, lang, socket, isEntered() (the `enter` ack said ok), selfId(),
   * colourOf(id) (the avatar colour of a visitor in the room, "" if unknown).
   */
  constructor(ctx) {
    this.ctx = ctx;
    const doc = ctx.doc;
    this.form = doc.getElementById("live-chat-form");
    this.input = doc.getElementById("live-chat-input");
    this.history = doc.getElementById("live-chat-history");
    this.log = doc.getElementById("live-chat-log");
    this.scroller = doc.getElementById("live-chat-scroll");
    this.empty = doc.getElementById("live-chat-empty");
    this.error = doc.getElementById("live-chat-error");
    this.time = new Intl.DateTimeFormat(ctx.lang, { hour: "numeric", minute: "2-digit" });
    this.sending = false;
    if (this.form) this.form.addEventListener("submit", (event) => this.submit(event));
  }

  get usable() {
    return Boolean(this.form && this.input && this.log);
  }

  /** Show the room's last messages from the `enter` ack; they are not announced. */
  loadHistory(messages) {
    if (!this.usable) return;
    // The history list sits outside the role=log region, so a (re)connection stays quiet.
    this.log.replaceChildren();
    const items = (Array.isArray(messages) ? messages : []).slice(-KEEP).map((m) => this.item(m));
    this.history?.replaceChildren(...items.filter(Boolean));
    this.refreshEmpty();
    this.scrollToEnd(true);
  }

  /** Add one `chat` event {id, name, text, at} to the live log. */
  receive(message) {
    if (!this.usable) return;
    const item = this.item(message);
    if (!item) return;
    // Follow the conversation unless the visitor scrolled up to read; their own words always show.
    const stick = this.nearEnd() || item.classList.contains("live-message-own");
    this.log.append(item);
    this.trim();
    this.refreshEmpty();
    this.scrollToEnd(stick);
  }

  item(message) {
    if (!message || typeof message.text !== "string") return null;
    const doc = this.ctx.doc;
    const name = typeof message.name === "string" && message.name ? message.name : "?";
    const li = doc.createElement("div");
    li.className = "live-message";
    const own = Boolean(message.id) && message.id === this.ctx.selfId();
    if (own) li.classList.add("live-message-own");
    const head = doc.createElement("span");
    head.className = "live-message-head";
    const who = doc.createElement("span");
    who.className = "live-message-name";
    who.textContent = name;
    head.append(avatar(name, { own, colour: this.ctx.colourOf?.(message.id) }), who);
    if (own) {
      const note = doc.createElement("span");
      note.className = "live-note";
      note.textContent = `(${this.ctx.t("you")})`;
      head.append(note);
    }
    const when = this.when(message.at);
    if (when) {
      const time = doc.createElement("time");
      time.className = "live-message-time";
      time.dateTime = when.toISOString();
      time.textContent = this.time.format(when);
      head.append(" ", time);
    }
    const text = doc.createElement("span");
    text.className = "live-message-text";
    text.textContent = message.text;
    // The colon makes the message read as "name time: text" to screen readers.
    const sep = doc.createElement("span");
    sep.className = "live-sr";
    sep.textContent = ": ";
    li.append(head, sep, text);
    return li;
  }

  /** Turn `at` (seconds or milliseconds since the epoch, or an ISO string) into a Date. */
  when(at) {
    let date = null;
    if (typeof at === "number" && Number.isFinite(at)) date = new Date(at < 1e11 ? at * 1000 : at);
    else if (typeof at === "string" && at) date = new Date(at);
    return date && !Number.isNaN(date.getTime()) ? date : null;
  }

  trim() {
    const all = this.history ? this.history.children.length + this.log.children.length : this.log.children.length;
    let extra = all - KEEP;
    while (extra > 0 && this.history?.firstElementChild) {
      this.history.firstElementChild.remove();
      extra -= 1;
    }
    while (extra > 0 && this.log.firstElementChild) {
      this.log.firstElementChild.remove();
      extra -= 1;
    }
  }

  refreshEmpty() {
    if (!this.empty) return;
    this.empty.hidden = Boolean(this.log.children.length || this.history?.children.length);
  }

  nearEnd() {
    const s = this.scroller;
    return !s || s.scrollHeight - s.scrollTop - s.clientHeight < 48;
  }

  scrollToEnd(force) {
    if (this.scroller && force) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  showError(text) {
    if (this.error) this.error.textContent = text;
  }

  submit(event) {
    event.preventDefault();
    const { socket, t, lang } = this.ctx;
    const text = this.input.value.trim();
    if (!text || this.sending) return;
    if (!socket.connected) {
      this.showError(t("chatOffline"));
      return;
    }
    if (!this.ctx.isEntered()) {
      this.showError(t("chatRefused", { error: errorText(lang, "not in a room") }));
      return;
    }
    this.sending = true;
    this.showError("");
    socket.timeout(SEND_TIMEOUT).emit("chat", { text }, (err, ack) => {
      this.sending = false;
      if (err) {
        this.showError(t("chatRefused", { error: errorText(lang, "timeout") }));
      } else if (ack && ack.ok) {
        // The message comes back to everyone in the room, the sender too, as a `chat` event.
        if (this.input.value.trim() === text) this.input.value = "";
      } else {
        this.showError(t("chatRefused", { error: errorText(lang, ack?.error) }));
      }
    });
  }
}
