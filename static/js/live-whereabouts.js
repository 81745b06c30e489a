// Who is in which room, as a list: the lobby's plan dots for those who do not see them.
//
// Reads the same `plan` feed as live-plan.js (docs/protocol.md). DOM hooks (templates/live/gallery.html):
//   #live-whereabouts                       the list; li[data-whereabouts-room=slug], hidden while empty
//   .live-whereabouts-count                 " · 3 visitors"
//   .live-whereabouts-names                 "Alice, Bruno (you) and 1 more", on a line of its own
//   #live-whereabouts-empty                 shown while nobody is in any room
// Names are set as text, never as HTML.

export class Whereabouts {
  /** `ctx` carries: doc, list (the ul), empty (the hint), t, selfId (a function). */
  constructor(ctx) {
    this.ctx = ctx;
    this.items = new Map();
    for (const item of ctx.list.querySelectorAll("li[data-whereabouts-room]")) {
      this.items.set(item.dataset.whereaboutsRoom, {
        item,
        count: item.querySelector(".live-whereabouts-count"),
        names: item.querySelector(".live-whereabouts-names"),
      });
    }
  }

  /** Apply a `plan` snapshot {rooms: {slug: {count, visitors}}, total}. */
  apply(plan) {
    if (!plan || typeof plan !== "object" || !plan.rooms || typeof plan.rooms !== "object") return;
    const { t } = this.ctx;
    const self = this.ctx.selfId();
    let anyone = false;
    for (const [slug, { item, count, names }] of this.items) {
      const data = plan.rooms[slug];
      const n = data && Number.isInteger(data.count) && data.count > 0 ? data.count : 0;
      item.hidden = n === 0;
      if (n === 0) continue;
      anyone = true;
      const visitors = Array.isArray(data.visitors) ? data.visitors : [];
      const listed = visitors
        .filter((v) => v && typeof v.name === "string")
        .map((v) => (v.id === self ? `${v.name} (${t("you")})` : v.name));
      count.textContent = ` · ${t("roomCount", { n })}`;
      const rest = n - listed.length;
      const parts = listed.length ? [listed.join(", ")] : [];
      if (rest > 0 && listed.length) parts.push(t("moreInRoom", { n: rest }));
      names.textContent = parts.join(" ");
    }
    if (this.ctx.empty) this.ctx.empty.hidden = anyone;
  }
}
