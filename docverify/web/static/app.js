// docverify review: keyboard navigation, document viewer (zoom, rotate, boxes), decision form.
(function () {
  "use strict";
  const typing = (e) => /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;

  // ---- queue: j/k move, Enter opens, click a row opens
  const table = document.getElementById("queue");
  if (table) {
    const rows = Array.from(table.querySelectorAll("tbody tr[data-href]"));
    let at = rows.length ? 0 : -1;
    const select = (i) => {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach((r, n) => r.classList.toggle("sel", n === at));
      rows[at].scrollIntoView({ block: "nearest" });
    };
    select(0);
    rows.forEach((r, n) => r.addEventListener("click", (e) => {
      if (e.target.closest("a")) return;
      select(n); window.location.href = r.dataset.href;
    }));
    document.addEventListener("keydown", (e) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") { select(at + 1); e.preventDefault(); }
      else if (e.key === "k") { select(at - 1); e.preventDefault(); }
      else if (e.key === "Enter" && at >= 0) { window.location.href = rows[at].dataset.href; }
    });
  }

  // ---- document tabs
  document.querySelectorAll(".tab[data-tab]").forEach((tab) => tab.addEventListener("click", () => {
    document.querySelectorAll(".tab").forEach((t) => { t.classList.remove("on"); t.setAttribute("aria-selected", "false"); });
    document.querySelectorAll(".doc-panel").forEach((p) => p.classList.remove("on"));
    tab.classList.add("on"); tab.setAttribute("aria-selected", "true");
    document.getElementById(tab.dataset.tab).classList.add("on");
  }));

  // ---- page images: the SVG overlay uses the image's own pixel grid (evidence boxes are in page pixels)
  const fitBoxes = (img) => {
    const svg = img.parentElement.querySelector("svg.boxes");
    if (svg && img.naturalWidth) svg.setAttribute("viewBox", `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
  };
  const broken = (img) => {
    const note = document.createElement("div");
    note.className = "nofile";
    note.textContent = "This page cannot be displayed: the file is damaged or of an unsupported kind. Use Original to download it.";
    const canvas = img.closest(".canvas");
    if (canvas) canvas.replaceWith(note);
  };
  document.querySelectorAll(".canvas img").forEach((img) => {
    if (img.complete && img.naturalWidth) fitBoxes(img);
    img.addEventListener("load", () => fitBoxes(img));
    img.addEventListener("error", () => broken(img));
  });

  const apply = (pages) => {
    const zoom = parseFloat(pages.dataset.zoom), rot = parseInt(pages.dataset.rot, 10);
    pages.style.setProperty("--zoom", zoom);
    pages.style.setProperty("--rot", rot + "deg");
    const label = pages.parentElement.querySelector(".zoom-label");
    if (label) label.textContent = Math.round(zoom * 100) + "%";
  };
  const act = (panel, what, value) => {
    const pages = panel.querySelector(".pages");
    if (!pages) return;
    let zoom = parseFloat(pages.dataset.zoom), rot = parseInt(pages.dataset.rot, 10);
    if (what === "zoom-in") zoom = Math.min(4, zoom * 1.25);
    else if (what === "zoom-out") zoom = Math.max(0.25, zoom / 1.25);
    else if (what === "fit") { zoom = 1; rot = 0; }
    else if (what === "rotate") rot = (rot + 90) % 360;
    else if (what === "boxes") pages.classList.toggle("noboxes", !value);
    pages.dataset.zoom = zoom; pages.dataset.rot = rot;
    apply(pages);
  };
  document.querySelectorAll(".doc-panel").forEach((panel) => {
    panel.querySelectorAll("[data-act]").forEach((el) => {
      const ev = el.tagName === "INPUT" ? "change" : "click";
      el.addEventListener(ev, () => act(panel, el.dataset.act, el.checked));
    });
  });

  // ---- decision form: show the resubmission fields only for resubmit; a/s/d pick, +/-/r/0 view
  const form = document.getElementById("decision-form");
  if (form) {
    const extra = form.querySelector(".resubmit-only");
    const sync = () => {
      const chosen = form.querySelector("input[name=decision]:checked");
      extra.classList.toggle("hidden", !chosen || chosen.value !== "resubmit");
    };
    form.querySelectorAll("input[name=decision]").forEach((r) => r.addEventListener("change", sync));
    sync();
    const pick = (value) => {
      const radio = form.querySelector(`input[name=decision][value=${value}]`);
      radio.checked = true; sync();
      form.querySelector("textarea[name=reason]").focus();
      form.scrollIntoView({ block: "nearest" });
    };
    document.addEventListener("keydown", (e) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const panel = document.querySelector(".doc-panel.on");
      const keys = { a: () => pick("approve"), s: () => pick("resubmit"), d: () => pick("deny"),
        "+": () => act(panel, "zoom-in"), "=": () => act(panel, "zoom-in"), "-": () => act(panel, "zoom-out"),
        "0": () => act(panel, "fit"), r: () => act(panel, "rotate") };
      if (keys[e.key] && (panel || "asd".includes(e.key))) { keys[e.key](); e.preventDefault(); }
    });
  }
})();
