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
  const TITLES = { race: "data race on this line", error: "compile error on this line", vet: "go vet finding on this line" };
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

  /// The lines a verdict marks: line -> "race" | "error" | "vet". A race
  /// or a compile error on a line takes the place of a vet finding there.
  function marksOf(v) {
    const next = new Map();
    for (const n of v.notes || []) {
      const m = n.kind === "vet" && /^go vet, line (\d+):/.exec(n.message);
      if (m) next.set(Number(m[1]), "vet");
    }
    for (const ce of v.compile_errors || []) if (ce.line > 0) next.set(ce.line, "error");
    for (const race of v.races || []) for (const line of raceLines(race)) next.set(line, "race");
    return next;
  }

  /// Makes the box an editor. `hooks.grade()` is called on Ctrl+Enter;
  /// `hooks.say(text)` tells the user something (a line that has gone).
  function attach(root, hooks) {
    const source = root.querySelector("textarea");
    const gutter = root.querySelector(".gutter");
    const backdrop = root.querySelector(".backdrop");
    let marks = new Map(); // line of the graded text -> kind
    let gradedText = null; // the text the marks were graded from
    let escaped = false; // Esc pressed: the next Tab leaves the editor

    /// Where line `n` of the graded text is in the editor now, or null
    /// when that line was edited. One changed region (from the first line
    /// that differs to the last): lines before it stay, lines after it
    /// move by the lines added or removed, lines inside it go. So a mark or
    /// a line link never points at a line that is not the code it was about.
    function currentLine(n) {
      if (gradedText === null || gradedText === source.value) return n;
      const before = gradedText.split("\n");
      const now = source.value.split("\n");
      let head = 0;
      while (head < before.length && head < now.length && before[head] === now[head]) head++;
      let tail = 0;
      while (tail < before.length - head && tail < now.length - head &&
        before[before.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
      if (n <= head) return n;
      if (n > before.length - tail) return n + now.length - before.length;
      return null;
    }

    function lineCount() {
      let n = 1;
      for (let i = source.value.indexOf("\n"); i !== -1; i = source.value.indexOf("\n", i + 1)) n++;
      return n;
    }

    function lineHeight() {
      return parseFloat(getComputedStyle(gutter.firstElementChild).height) || 20;
    }

    function render() {
      const n = lineCount();
      if (gutter.childElementCount !== n) {
        const frag = document.createDocumentFragment();
        for (let i = 1; i <= n; i++) {
          const line = div();
          line.textContent = String(i);
          line.dataset.line = String(i);
          frag.append(line);
        }
        gutter.replaceChildren(frag);
      }
      const shown = new Map();
      for (const [line, kind] of marks) {
        const now = currentLine(line);
        if (now !== null && now <= n) shown.set(now, kind);
      }
      for (const line of gutter.children) {
        const kind = shown.get(Number(line.dataset.line));
        line.className = kind || "";
        line.title = TITLES[kind] || "";
      }
      const lh = lineHeight();
      const bands = [];
      for (const [line, kind] of shown) {
        const band = div("band " + kind);
        band.dataset.line = String(line);
        // Through the CSSOM: the pages' policy forbids style attributes.
        band.style.top = 8 + (line - 1) * lh + "px";
        bands.push(band);
      }
      backdrop.replaceChildren(...bands);
      syncScroll();
    }

    function syncScroll() {
      gutter.scrollTop = source.scrollTop;
      for (const band of backdrop.children) band.style.transform = `translateY(${-source.scrollTop}px)`;
    }

    /// Selects what was line `graded` of the graded code, wherever it is
    /// now, and scrolls it into view.
    function goToLine(graded) {
      const n = currentLine(graded);
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
      source.scrollTop = Math.max(0, (n - 4) * lineHeight());
      syncScroll();
    }

    source.addEventListener("scroll", syncScroll);
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
    // Registered first, so the marks have moved before a page's own
    // input handlers run.
    source.addEventListener("input", render);

    const editor = {
      textarea: source,
      render,
      currentLine,
      goToLine,
      /// Replaces the marks (line numbers of the graded text).
      setMarks(next) {
        marks = next;
        render();
      },
      /// Records the text the marks and the verdict shown are for (null:
      /// none); the marks follow the edits made since.
      graded(text) {
        gradedText = text;
      },
      /// Whether the editor holds other text than the verdict shown was for.
      outdated() {
        return gradedText !== null && source.value !== gradedText;
      },
      /// Whether the box is still in the page (an interview card goes
      /// when its phase leaves the screen).
      alive() {
        return root.isConnected;
      },
    };
    editors.add(editor);
    render();
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
