// Click-to-load third-party videos: nothing is requested from the video site before the click.
// Without JavaScript the button stays hidden and the link to the video's page does the job.

function load(container) {
  const src = container.dataset.embedSrc;
  if (!src || !src.startsWith("https://")) return;
  const frame = document.createElement("iframe");
  frame.src = src;
  frame.title = container.dataset.embedTitle || "";
  frame.allow = "fullscreen; picture-in-picture; encrypted-media";
  frame.allowFullscreen = true;
  // Players refuse to play without knowing the embedding origin; send only the origin.
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.className = "embed-frame";
  container.replaceChildren(frame);
  container.classList.add("is-loaded");
  frame.focus();
}

/** Show the load buttons of the placeholders under `root` (the stage calls it for new parts). */
export function bindEmbeds(root) {
  for (const container of root.querySelectorAll(".embed[data-embed-src]")) {
    const button = container.querySelector(".embed-load");
    if (!button || container.dataset.embedBound) continue;
    container.dataset.embedBound = "1";
    button.hidden = false;
    button.addEventListener("click", () => load(container));
  }
}

bindEmbeds(document);
