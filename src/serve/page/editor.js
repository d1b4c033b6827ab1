// The code editor of both pages: the quick check's editor and each coding
// card of the interview view. A textarea over a line-number gutter and a
// backdrop of marked lines (data races, compile errors, go vet findings);
// the marks follow the code as it is edited; Tab indents (Esc then Tab
// leaves the editor); Ctrl+Enter asks for a grade. One instance per
// editor box, found by class, so a page may hold several. Wrapped in a
// function so its names stay out of the page scripts' global scope (they
// are classic scripts and share it); only `gogradeEditor` is global.
// Text is set with textContent only, as everywhere in the pages.
"use strict";

window.gogradeEditor = (() => {
  const TITLES = {
    race: "data race on this line",
    error: "compile error on this line",
    vet: "go vet finding on this line",
    stop: "a failing test stopped here: a panic, or a goroutine blocked for good",
  };
  const NOT_PASSING = new Set(["fail", "error", "timeout"]);
  const editors = new Set();

  function div(cls) {
    const node = document.createElement("div");
    if (cls) node.className = cls;
    return node;
  }

  /// A fresh editor box (for pages that make editors as they go): the
  /// same elements the quick-check page writes in its HTML.
  function box(label, placeholder) {
    const outer = div("editor");
    const gutter = div("gutter");
    gutter.setAttribute("aria-hidden", "true");
    const area = div("code-area");
    const backdrop = div("backdrop");
    backdrop.setAttribute("aria-hidden", "true");
    const text = document.createElement("textarea");
    for (const [k, v] of [["spellcheck", "false"], ["autocomplete", "off"], ["autocapitalize", "off"], ["wrap", "off"]]) text.setAttribute(k, v);
    text.setAttribute("aria-label", label);
    text.placeholder = placeholder || "";
    area.append(backdrop, text);
    outer.append(gutter, area);
    return outer;
  }

  /// The candidate's line of each access of a race (the first frame in
  /// the candidate's own file); none for an access only in the harness.
  function raceLines(race) {
    const lines = [];
    for (const a of race.accesses || []) {
      const frame = (a.frames || []).find((f) => f.candidate);
      if (frame && frame.line) lines.push(frame.line);
    }
    return lines;
  }

  /// The lines a verdict marks: line -> "race" | "error" | "vet" | "stop".
  /// A race or a compile error on a line takes the place of a vet finding
  /// or a stop there.
  function marksOf(v) {
    const next = new Map();
    for (const n of v.notes || []) {
      const m = n.kind === "vet" && /^go vet, line (\d+):/.exec(n.message);
      if (m) next.set(Number(m[1]), "vet");
    }
    // Where a failing test stopped in the candidate's code: a panic's frame
    // or a deadlocked goroutine's (GoVet's frame is its first finding,
    // marked above as vet).
    for (const t of v.tests || []) {
      if (t.frame && t.frame.line > 0 && t.name !== "GoVet" && t.category !== "followup"
        && NOT_PASSING.has(t.status) && !next.has(t.frame.line)) next.set(t.frame.line, "stop");
    }
    for (const ce of v.compile_errors || []) if (ce.line > 0) next.set(ce.line, "error");
    for (const race of v.races || []) for (const line of raceLines(race)) next.set(line, "race");
    return next;
  }

  /// Where line `n` of the graded text `before` is in `now`, or null when
  /// that line was edited. One changed region (from the first line that
  /// differs to the last): lines before it stay, lines after it move by the
  /// lines added or removed, lines inside it go. So a mark or a line link
  /// never points at a line that is not the code it was about.
  function moveLine(graded, text, n) {
    if (graded === null || graded === text) return n;
    const before = graded.split("\n");
    const now = text.split("\n");
    let head = 0;
    while (head < before.length && head < now.length && before[head] === now[head]) head++;
    let tail = 0;
    while (tail < before.length - head && tail < now.length - head &&
      before[before.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
    if (n <= head) return n;
    if (n > before.length - tail) return n + now.length - before.length;
    return null;
  }

  function lineHeight(st) {
    return parseFloat(getComputedStyle(st.gutter.firstElementChild).height) || 20;
  }

  /// Line numbers, and the marks where their lines are now.
  function render(st) {
    const text = st.source.value;
    let n = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
    if (st.gutter.childElementCount !== n) {
      const frag = document.createDocumentFragment();
      for (let i = 1; i <= n; i++) {
        const line = div();
        line.textContent = String(i);
        line.dataset.line = String(i);
        frag.append(line);
      }
      st.gutter.replaceChildren(frag);
    }
    const shown = new Map();
    for (const [line, kind] of st.marks) {
      const now = moveLine(st.gradedText, text, line);
      if (now !== null && now <= n) shown.set(now, kind);
    }
    for (const line of st.gutter.children) {
      const kind = shown.get(Number(line.dataset.line));
      line.className = kind || "";
      line.title = TITLES[kind] || "";
    }
    const lh = lineHeight(st);
    const bands = [];
    for (const [line, kind] of shown) {
      const band = div("band " + kind);
      band.dataset.line = String(line);
      // Through the CSSOM: the pages' policy forbids style attributes.
      band.style.top = 8 + (line - 1) * lh + "px";
      bands.push(band);
    }
    st.backdrop.replaceChildren(...bands);
    syncScroll(st);
  }

  function syncScroll(st) {
    st.gutter.scrollTop = st.source.scrollTop;
    for (const band of st.backdrop.children) band.style.transform = `translateY(${-st.source.scrollTop}px)`;
  }

  /// Selects what was line `graded` of the graded code (or of `from`, the
  /// text of another graded version), wherever it is now, and scrolls it
  /// into view.
  function goToLine(st, hooks, graded, from) {
    const source = st.source;
    const n = moveLine(from === undefined ? st.gradedText : from, source.value, graded);
    if (n === null) {
      if (hooks.say) hooks.say(`line ${graded} has been edited since this verdict`);
      return;
    }
    const lines = source.value.split("\n");
    let start = 0;
    for (let i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
    const end = start + (lines[n - 1] || "").length;
    source.focus();
    source.setSelectionRange(start, end);
    source.scrollTop = Math.max(0, (n - 4) * lineHeight(st));
    syncScroll(st);
  }

  /// Ctrl+Enter grades; Tab indents, unless Esc came just before it (then
  /// focus moves on, so the editor is no keyboard trap).
  function keys(st, hooks) {
    const source = st.source;
    let escaped = false;
    source.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (hooks.grade) hooks.grade();
        return;
      }
      if (e.key === "Escape") {
        escaped = true;
        return;
      }
      if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        if (escaped) {
          escaped = false;
          return; // let focus move on
        }
        e.preventDefault();
        // insertText keeps the browser's undo history; setRangeText is the fallback.
        if (!document.execCommand("insertText", false, "\t")) {
          const { selectionStart: s, selectionEnd: t } = source;
          source.setRangeText("\t", s, t, "end");
          source.dispatchEvent(new Event("input"));
        }
        return;
      }
      escaped = false;
    });
  }

  /// Makes the box an editor. `hooks.grade()` is called on Ctrl+Enter;
  /// `hooks.say(text)` tells the user something (a line that has gone).
  function attach(root, hooks) {
    const st = {
      source: root.querySelector("textarea"),
      gutter: root.querySelector(".gutter"),
      backdrop: root.querySelector(".backdrop"),
      marks: new Map(), // line of the graded text -> kind
      gradedText: null, // the text the marks were graded from
    };
    st.source.addEventListener("scroll", () => syncScroll(st));
    keys(st, hooks);
    // Registered first, so the marks have moved before a page's own
    // input handlers run.
    st.source.addEventListener("input", () => render(st));
    const editor = {
      textarea: st.source,
      render: () => render(st),
      currentLine: (n) => moveLine(st.gradedText, st.source.value, n),
      /// Goes to line `n` of the graded text; with `from`, line `n` of
      /// that text (an interview card's older version).
      goToLine: (n, from) => goToLine(st, hooks, n, from),
      /// Replaces the marks (line numbers of the graded text).
      setMarks(next) {
        st.marks = next;
        render(st);
      },
      /// Records the text the marks and the verdict shown are for (null:
      /// none); the marks follow the edits made since.
      graded(text) {
        st.gradedText = text;
      },
      /// Whether the editor holds other text than the verdict shown was for.
      outdated: () => st.gradedText !== null && st.source.value !== st.gradedText,
      /// Whether the box is still in the page (an interview card goes
      /// when its phase leaves the screen).
      alive: () => root.isConnected,
    };
    editors.add(editor);
    render(st);
    return editor;
  }

  window.addEventListener("resize", () => {
    for (const e of editors) {
      if (e.alive()) e.render();
      else editors.delete(e);
    }
  });

  return { box, attach, marksOf, raceLines };
})();
