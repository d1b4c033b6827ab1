// The verdict's view, shared by both pages: the quick check's verdict
// column and each coding card of the interview view draw a verdict with
// this one code, so both show the same things (the category table, the
// failing tests with expected against actual and the line where the
// candidate's code stopped, compile errors, data races, follow-ups, what
// to ask next, notes). Line numbers are links; what following one does is
// the page's to say (`goToLine`): a page may hold several editors, and
// each card's links move its own. Wrapped in a function, as editor.js is,
// so its names stay out of the pages' shared global scope; only
// `gogradeVerdict` is global. Everything from a verdict or the candidate's
// code is written with textContent (through el()), never parsed as HTML:
// a submission is attacker-controlled and its text ends up in messages
// and outputs.
"use strict";

window.gogradeVerdict = (() => {
  /// Builds an element; `text` always goes in as text, never markup.
  function el(tag, opts, children) {
    const node = document.createElement(tag);
    if (opts) {
      if (opts.cls) node.className = opts.cls;
      if (opts.text !== undefined) node.textContent = String(opts.text);
      if (opts.title) node.title = opts.title;
      if (opts.data) for (const [k, v] of Object.entries(opts.data)) node.dataset[k] = String(v);
      if (opts.onclick) node.addEventListener("click", opts.onclick);
      if (opts.type) node.type = opts.type;
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  const STATUS_WORDS = {
    pass: "PASS", fail: "FAIL", compile_error: "COMPILE ERROR",
    rejected: "REJECTED", timeout: "TIMEOUT", error: "GRADER ERROR",
  };
  const CATEGORIES = ["core", "robustness", "performance", "followup"];
  const NOT_PASSING = new Set(["fail", "error", "timeout"]);

  /// The candidate's line of each access of a race (null for harness-only),
  /// in line order: which goroutine the detector saw first changes between
  /// runs, and the pair should read the same every time.
  function raceLines(race) {
    return race.accesses.map((a) => {
      const frame = a.frames.find((f) => f.candidate);
      return frame ? { line: frame.line, op: a.op, fn: frame.function } : { line: null, op: a.op, fn: null };
    }).sort((x, y) => (x.line ?? Infinity) - (y.line ?? Infinity));
  }

  /// One race of the verdict as the page shows it. The grader groups the
  /// detector's reports once, in the verdict (one entry per pair of candidate
  /// lines, with its count and the tests it was seen in); the page shows each
  /// entry as it is and never regroups, so it counts what the terminal counts.
  function raceGroup(race) {
    const tests = race.tests && race.tests.length ? race.tests : race.test ? [race.test] : [];
    return { sides: raceLines(race), count: race.count ?? 1, tests };
  }

  function describeSide(s) {
    return s.line == null ? `${s.op} in the harness` : `${s.op} at line ${s.line} in ${s.fn}`;
  }

  /// The verdict `v` as elements, for the page to put where it shows a
  /// verdict. `opts.goToLine(n)` follows a link to line `n` of the graded
  /// code; `opts.ids` gives the failing tests, the races and the questions
  /// their ids (a page that shows one verdict at a time: the quick check).
  function view(v, opts) {
    const o = opts || {};
    const lineButton = (n, prefix) => el("button", { cls: "link", type: "button", text: `${prefix ?? "line"} ${n}`.trim(),
      onclick: () => { if (o.goToLine) o.goToLine(n); }, data: { goto: n } });
    const named = (node, name) => {
      if (o.ids) node.id = name;
      return node;
    };
    const out = [];
    out.push(categoryTable(v));

    if (v.compile_errors.length) {
      out.push(el("h2", { text: "Compile errors" }));
      out.push(el("ul", {}, v.compile_errors.map((ce) =>
        el("li", { cls: "mono", data: { line: ce.line } }, ce.line > 0
          ? [lineButton(ce.line), document.createTextNode(`:${ce.column}: ${ce.message}`)]
          : [document.createTextNode(ce.message)]))));
    }

    const failing = v.tests.filter((t) => NOT_PASSING.has(t.status) && t.category !== "followup");
    if (failing.length) {
      out.push(el("h2", { text: `Failing tests (${failing.length})` }));
      const list = named(el("div", { cls: "failing" }), "failing");
      for (const t of failing) list.append(testItem(t, lineButton));
      out.push(list);
    }

    const groups = v.races.map(raceGroup);
    if (groups.length) {
      out.push(el("h2", { text: `Data races (${groups.length})` }));
      const list = named(el("div", { cls: "races" }), "races");
      for (const g of groups) {
        const lines = g.sides.filter((s) => s.line != null).map((s) => s.line);
        const item = el("div", { cls: "item", data: { lines: lines.join(",") } }, [
          el("div", {}, [
            el("strong", { text: lines.length ? "Lines " : "In the harness" }),
            ...lines.flatMap((n, i) => [i ? document.createTextNode(" ↔ ") : null, lineButton(n, "")]).filter(Boolean),
            g.count > 1 ? el("span", { cls: "tag", text: `${g.count}×` }) : null,
          ]),
          el("div", { text: g.sides.map(describeSide).join("; ") }),
          g.tests.length ? el("div", { cls: "muted", text: "seen in " + g.tests.join(", ") }) : null,
        ]);
        list.append(item);
      }
      out.push(list);
    }

    const followups = v.tests.filter((t) => t.category === "followup");
    const attempted = followups.filter((t) => t.status !== "skip");
    if (followups.length) {
      out.push(el("h2", { text: `Follow-ups attempted: ${attempted.length} of ${followups.length}` }));
      out.push(el("ul", {}, followups.map((t) =>
        el("li", {}, [el("span", { cls: "mono", text: t.name }), el("span", { cls: "tag " + t.status, text: t.status }),
          document.createTextNode(" " + (t.status === "skip" ? "not attempted" : t.message || t.description))]))));
    }

    const questions = askNext(v);
    if (questions.length) {
      out.push(el("h2", { text: "Ask next" }));
      out.push(named(el("ul", { cls: "ask-next" }, questions.map((q) => el("li", { text: q }))), "ask-next"));
    }

    if (v.notes.length) {
      out.push(el("h2", { text: "Notes" }));
      out.push(el("ul", {}, v.notes.map((n) => el("li", {}, [el("span", { cls: "tag", text: n.kind }), document.createTextNode(" " + n.message)]))));
    }
    return out;
  }

  /// The verdict in one sentence, for the quick check's banner and a coding
  /// card's first line: short (the status and score are beside it; the
  /// failures are listed below), and never silent about a failing test.
  function bannerSummary(v) {
    const failing = (cat) => v.tests.filter((t) => t.category === cat && NOT_PASSING.has(t.status));
    const named = (tests) => {
      const names = tests.slice(0, 2).map((t) => t.description || t.name);
      const more = tests.length - names.length;
      return names.join("; ") + (more > 0 ? `; and ${more} more (listed below)` : "");
    };
    const others = ["robustness", "performance"].map((cat) => [cat, failing(cat)]).filter(([, f]) => f.length);
    const otherWords = others.map(([cat, f]) => `${f.length} ${cat} test${f.length === 1 ? "" : "s"} fail${f.length === 1 ? "s" : ""}: ${named(f)}`);
    if (v.status === "pass") {
      return others.length ? `Core passes; ${otherWords.join("; ")}.` : v.summary;
    }
    if (v.status === "fail") {
      const core = v.tests.filter((t) => t.category === "core");
      const coreFailing = failing("core");
      const parts = [];
      if (coreFailing.length) parts.push(`${coreFailing.length} of ${core.length} core tests fail: ${named(coreFailing)}`);
      if (v.races.length) parts.push(`${v.races.length} data race${v.races.length === 1 ? "" : "s"}`);
      if (!parts.length) return v.summary;
      const s = parts.join("; ");
      return s.charAt(0).toUpperCase() + s.slice(1) + ".";
    }
    // Other statuses are one reason; a long one is cut, the list has it all.
    return v.summary.length > 240 ? v.summary.slice(0, 240) + "…" : v.summary;
  }

  function categoryTable(v) {
    const rows = CATEGORIES.map((cat) => {
      const tests = v.tests.filter((t) => t.category === cat);
      if (!tests.length) return null;
      const passed = tests.filter((t) => t.status === "pass").length;
      const earned = tests.reduce((a, t) => a + t.earned, 0);
      const possible = tests.reduce((a, t) => a + t.points, 0);
      const bad = tests.filter((t) => NOT_PASSING.has(t.status)).length;
      return el("tr", { data: { category: cat } }, [
        el("td", { text: cat }),
        el("td", { cls: "num", text: `${passed}/${tests.length}` }),
        el("td", { cls: "num", text: `${earned}/${possible}` }),
        el("td", { text: bad ? `${bad} failing` : tests.every((t) => t.status === "skip") ? "not attempted" : "ok" }),
      ]);
    }).filter(Boolean);
    if (!rows.length) return el("p", { cls: "muted", text: "No tests ran." });
    return el("table", {}, [
      el("thead", {}, [el("tr", {}, [el("th", { text: "category" }), el("th", { cls: "num", text: "passed" }),
        el("th", { cls: "num", text: "points" }), el("th", { text: "" })])]),
      el("tbody", {}, rows),
    ]);
  }

  /// One failing test; `lineButton` links a line of the graded code.
  function testItem(t, lineButton) {
    const item = el("div", { cls: "item", data: { test: t.name } }, [
      el("div", {}, [el("span", { cls: "name", text: t.name }), el("span", { cls: "tag " + t.status, text: t.status }),
        el("span", { cls: "tag", text: `${t.category}, ${t.points} pt` })]),
      el("div", { cls: "muted", text: t.description }),
      // With the candidate's line linked below, the stack the message
      // carries (kit and harness frames) says nothing more; output has it.
      t.message ? el("div", { text: tidy(t.frame ? t.message.split(/\ngoroutine \d+ \[/)[0] : t.message) }) : null,
      t.frame && t.frame.line > 0 ? el("div", { cls: "mono frame" }, [lineButton(t.frame.line),
        document.createTextNode((t.frame.function ? ` in ${t.frame.function}` : "") + (t.frame.source ? `: ${t.frame.source}` : ""))]) : null,
    ]);
    if (t.expected != null && t.actual != null) {
      item.append(el("div", { cls: "sides" }, [
        el("div", {}, [el("div", { cls: "label", text: "expected" }), el("pre", { text: t.expected })]),
        el("div", {}, [el("div", { cls: "label", text: "actual" }), el("pre", { text: t.actual })]),
      ]));
      const why = explain(t.value_kind, t.expected, t.actual);
      if (why) item.append(why);
    }
    if (t.hint) item.append(el("div", { cls: "muted", text: "ask: " + t.hint }));
    if (t.output) {
      item.append(el("details", { cls: "output" }, [el("summary", { text: "output" }), el("pre", { text: t.output })]));
    }
    return item;
  }

  // ---- differences: code points for strings, a path for JSON -------------

  /// Decodes a Go double-quoted literal into code points (numbers) and raw
  /// bytes (strings like "\\xff"); null if it is not one.
  function unquoteGo(lit) {
    if (lit.length < 2 || lit[0] !== '"' || lit[lit.length - 1] !== '"') return null;
    const s = lit.slice(1, -1);
    const out = [];
    const simple = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, "\\": 92, '"': 34, "'": 39 };
    for (let i = 0; i < s.length; ) {
      const c = s.codePointAt(i);
      i += c > 0xffff ? 2 : 1;
      if (c !== 92) { out.push(c); continue; }
      const e = s[i++];
      if (e in simple) out.push(simple[e]);
      else if (e === "x") { out.push("\\x" + s.slice(i, i + 2)); i += 2; }
      else if (e === "u") { out.push(parseInt(s.slice(i, i + 4), 16)); i += 4; }
      else if (e === "U") { out.push(parseInt(s.slice(i, i + 8), 16)); i += 8; }
      else if (/[0-7]/.test(e)) { out.push("\\x" + parseInt(s.slice(i - 1, i + 2), 8).toString(16).padStart(2, "0")); i += 2; }
      else return null;
    }
    return out;
  }

  function cpLabel(u) {
    if (typeof u === "string") return u + " (byte)";
    const hex = "U+" + u.toString(16).toUpperCase().padStart(4, "0");
    return u > 32 && u !== 127 ? `${hex} ${String.fromCodePoint(u)}` : hex;
  }

  function codePointRow(label, units, at) {
    const from = Math.max(0, at - 3);
    const row = el("div", { cls: "cp" }, [document.createTextNode(label + ": ")]);
    if (from > 0) row.append(document.createTextNode("… "));
    units.slice(from, at + 4).forEach((u, k) => {
      row.append(el("span", { cls: from + k === at ? "d" : "", text: cpLabel(u) }), document.createTextNode(" "));
    });
    if (at + 4 < units.length) row.append(document.createTextNode("…"));
    return row;
  }

  function firstJsonDifference(a, b, path) {
    if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return path;
    if (a && typeof a === "object") {
      if (Array.isArray(a)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          if (i >= a.length || i >= b.length) return `${path}[${i}]`;
          const d = firstJsonDifference(a[i], b[i], `${path}[${i}]`);
          if (d) return d;
        }
        return null;
      }
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const sub = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
        if (!(k in a) || !(k in b)) return sub;
        const d = firstJsonDifference(a[k], b[k], sub);
        if (d) return d;
      }
      return null;
    }
    return a === b ? null : path;
  }

  function explain(kind, expected, actual) {
    if (kind === "string") {
      const e = unquoteGo(expected), a = unquoteGo(actual);
      if (!e || !a) return null;
      let at = 0;
      while (at < e.length && at < a.length && e[at] === a[at]) at++;
      if (at === e.length && at === a.length) return null;
      return el("div", { cls: "diffnote" }, [
        // Counted from 1, as the terminal report counts characters.
        el("div", { text: `first difference at character ${at + 1} (expected ${e.length} characters, got ${a.length})` }),
        codePointRow("expected", e, at), codePointRow("actual", a, at),
      ]);
    }
    if (kind === "json") {
      let e, a;
      try { e = JSON.parse(expected); a = JSON.parse(actual); } catch (_) { return null; }
      const path = firstJsonDifference(e, a, "$");
      return path ? el("div", { cls: "diffnote", text: "first difference at " + path }) : null;
    }
    return null;
  }

  // ---- interviewer's follow-ups ------------------------------------------

  function askNext(v) {
    const seen = new Set();
    const out = [];
    for (const q of [...v.tests.filter((t) => t.hint && NOT_PASSING.has(t.status)).map((t) => t.hint), ...v.hints]) {
      if (!seen.has(q)) { seen.add(q); out.push(q); }
    }
    return out;
  }

  /// A message in the page's terms: the pasted code has lines, not a file
  /// called stdin.go, and goroutine numbers mean nothing to an interviewer.
  function tidy(message) {
    return String(message)
      .replace(/ by goroutine \d+/g, "")
      .replace(/\bstdin\.go:(\d+)/g, "line $1");
  }

  return { el, view, bannerSummary, raceGroup, askNext, tidy, STATUS_WORDS, CATEGORIES, NOT_PASSING };
})();
