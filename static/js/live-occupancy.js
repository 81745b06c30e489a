// Live head counts: the floor plan's and the doors' [data-room-count] badges and the lobby total,
// from /api/presence.json at load and the `occupancy` events the server sends everyone.

export class Occupancy {
  /** `ctx` carries: doc, t. */
  constructor(ctx) {
    this.ctx = ctx;
    this.badges = Array.from(ctx.doc.querySelectorAll("[data-room-count]"));
    this.total = ctx.doc.getElementById("live-total");
    this.live = false; // an `occupancy` event arrived: a late fetch must not overwrite it
  }

  get wanted() {
    return this.badges.length > 0 || Boolean(this.total);
  }

  /** Fetch the current counts once, for the page's first paint of the badges. */
  async fetchInitial(url = "/api/presence.json") {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) return;
      const data = await response.json();
      if (!this.live) this.show(data);
    } catch {
      // Offline or not served: the badges stay empty until the first `occupancy` event.
    }
  }

  /** Apply an `occupancy` event {rooms: {slug: count}, total}. */
  apply(data) {
    this.live = true;
    this.show(data);
  }

  show(data) {
    if (!data || typeof data !== "object") return;
    const rooms = data.rooms && typeof data.rooms === "object" ? data.rooms : {};
    const { t } = this.ctx;
    for (const badge of this.badges) {
      const value = rooms[badge.dataset.roomCount];
      const n = Number.isInteger(value) && value > 0 ? value : 0;
      if (badge.dataset.count === String(n)) continue;
      badge.dataset.count = String(n);
      badge.classList.add("live-room-count");
      badge.classList.toggle("live-room-empty", n === 0);
      const number = document.createElement("span");
      number.className = "live-room-number";
      number.setAttribute("aria-hidden", "true");
      number.textContent = String(n);
      const label = document.createElement("span");
      label.className = "live-sr";
      label.textContent = ` (${t("roomCount", { n })})`;
      badge.replaceChildren(number, label);
      badge.hidden = false;
    }
    if (this.total && Number.isInteger(data.total)) {
      this.total.dataset.count = String(data.total);
      this.total.textContent = t("total", { n: data.total });
    }
  }
}
