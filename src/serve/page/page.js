// gograde quick check: the page's whole behaviour, with no library.
// Everything that comes from a verdict or the candidate's code is written
// with textContent (through el()), never parsed as HTML: a submission is
// attacker-controlled and its text ends up in messages and outputs.
"use strict";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token");
const DEBOUNCE_MS = 900;
// How much longer the text must stay still before a live re-grade's
// compile error is shown as one.
const QUIET_MS = 3000;

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

function api(path, init) {
  const headers = Object.assign({}, (init && init.headers) || {});
  if (token) headers.Authorization = "Bearer " + token;
  return fetch(path, Object.assign({}, init, { headers }));
}

// ---- editor: editor.js (gutter, marks that follow edits, Tab, Ctrl+Enter) --

const editor = gogradeEditor.attach($("editor-box"), {
  grade: () => grade(true),
  say: (text) => { $("activity").textContent = text; },
});
const source = editor.textarea;
const renderGutter = editor.render;
const setMarks = editor.setMarks;
const goToLine = editor.goToLine;
const outdated = editor.outdated;

source.addEventListener("input", () => {
  // The editor has moved its marks; the verdict says it is for an earlier
  // version until the current text is graded.
  markOutdated();
  remember();
  scheduleLive();
});

function markOutdated() {
  const old = outdated();
  $("banner").classList.toggle("outdated", old);
  $("verdict").classList.toggle("outdated", old);
  $("outdated").hidden = !old;
}

// The editor's text and the exercise picked survive a reload (this tab
// only: sessionStorage, so a candidate's code does not outlive the call).
function remember() {
  try {
    sessionStorage.setItem("gograde.source", source.value);
    sessionStorage.setItem("gograde.exercise", picker.value);
  } catch (_) { /* storage off: nothing kept */ }
}

function recall() {
  try {
    const text = sessionStorage.getItem("gograde.source");
    const id = sessionStorage.getItem("gograde.exercise");
    if (id && [...picker.options].some((o) => o.value === id)) {
      picker.value = id;
      showExercise(id);
    }
    if (text && !source.value) {
      source.value = text;
      renderGutter();
      scheduleLive();
    }
  } catch (_) { /* storage off */ }
}

// ---- exercises -----------------------------------------------------------

const picker = $("exercise");
const exercises = new Map();
let shownExercise = null;

async function loadExercises() {
  try {
    const res = await api("/api/exercises");
    if (!res.ok) throw new Error((await res.json()).error || res.statusText);
    for (const ex of await res.json()) {
      picker.append(el("option", { text: `${ex.id}: ${ex.title}`, data: { id: ex.id } }));
      picker.lastElementChild.value = ex.id;
    }
  } catch (err) {
    $("activity").textContent = "could not load exercises: " + err.message;
  }
}

async function showExercise(id) {
  if (!id || id === "auto" || id === shownExercise) return;
  let ex = exercises.get(id);
  if (!ex) {
    const res = await api("/api/exercises/" + encodeURIComponent(id));
    if (!res.ok) return;
    ex = await res.json();
    exercises.set(id, ex);
  }
  shownExercise = id;
  $("prompt-title").textContent = `${ex.title} (${ex.id})`;
  $("prompt-text").replaceChildren(...renderMarkdown(ex.prompt));
  promptText = ex.prompt;
  $("stub-text").textContent = ex.stub;
  $("prompt-empty").hidden = true;
  $("prompt-body").hidden = false;
}

let promptText = "";

/// The prompt's Markdown as elements: headings, paragraphs, lists, fenced
/// code and inline code, bold and emphasis, which is all a prompt uses.
/// Built with el() and text nodes, never parsed as HTML, so it needs
/// nothing from the page's Content-Security-Policy.
function renderMarkdown(md) {
  const out = [];
  const lines = md.replace(/\r\n?/g, "\n").split("\n");
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) out.push(el("p", {}, inline(para.join(" "))));
    para = [];
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^(`{3,}|~{3,})/);
    if (fence) {
      flush();
      const body = [];
      for (i++; i < lines.length && !lines[i].startsWith(fence[1]); i++) body.push(lines[i]);
      out.push(el("pre", { cls: "code", text: body.join("\n") }));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    const item = line.match(/^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/);
    if (heading) {
      flush();
      out.push(el("h" + Math.min(6, heading[1].length + 2), { cls: "md" }, inline(heading[2])));
    } else if (item) {
      if (para.length) { out.push(el("p", {}, inline(para.join(" ")))); para = []; }
      const tag = item[1] ? "ol" : "ul";
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = el(tag);
        out.push(list);
      }
      list.append(el("li", {}, inline(item[2])));
    } else if (!line.trim()) {
      flush();
    } else if (list && /^\s+\S/.test(line) && !para.length) {
      list.lastElementChild.append(document.createTextNode(" "), ...inline(line.trim()));
    } else {
      if (list) list = null;
      para.push(line.trim());
    }
  }
  flush();
  return out;
}

/// Inline Markdown: `code`, **bold**, *emphasis* (or _emphasis_).
function inline(text) {
  const nodes = [];
  const re = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\b_([^_]+)_\b/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
    if (m[1]) nodes.push(el("code", { text: m[2].trim() }));
    else if (m[3]) nodes.push(el("strong", { text: m[3] }));
    else nodes.push(el("em", { text: m[4] || m[5] }));
    last = re.lastIndex;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function forgetExercise() {
  shownExercise = null;
  $("prompt-title").textContent = "Prompt and stub";
  $("prompt-empty").hidden = false;
  $("prompt-body").hidden = true;
}

picker.addEventListener("change", () => {
  showExercise(picker.value);
  if (picker.value !== "auto") $("prompt-box").open = true;
  remember();
  if (source.value.trim()) grade(false);
});
// The candidate's notepad gets the prompt as written (Markdown).
$("copy-prompt").addEventListener("click", () => copy(promptText, "prompt copied"));
$("copy-stub").addEventListener("click", () => {
  copy($("stub-text").textContent, "stub copied");
  // Its job is done: give the room back to the editor.
  $("prompt-box").open = false;
});
$("use-stub").addEventListener("click", () => {
  // Replaced as typed text, so Ctrl+Z brings the candidate's code back.
  source.focus();
  source.select();
  if (!document.execCommand("insertText", false, $("stub-text").textContent)) {
    source.value = $("stub-text").textContent;
  }
  source.dispatchEvent(new Event("input"));
  source.setSelectionRange(0, 0);
  source.scrollTop = 0;
  $("prompt-box").open = false;
});

// ---- grading -------------------------------------------------------------

let inflight = null; // AbortController of the newest request
let liveTimer = null;
let quietTimer = null;
let generation = 0;
let lastVerdict = null;
let lastVerdictText = "";

function scheduleLive() {
  clearTimeout(liveTimer);
  if (!$("live").checked) return;
  liveTimer = setTimeout(() => grade(false), DEBOUNCE_MS);
}

$("grade").addEventListener("click", () => grade(true));
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target !== source) {
    e.preventDefault();
    grade(true);
  }
});

/// Sends the editor's text; a newer call aborts the older request, which
/// makes the server cancel that grade and kill its processes.
async function grade(asked) {
  clearTimeout(liveTimer);
  const text = source.value;
  if (!text.trim()) {
    if (asked) $("activity").textContent = "nothing to grade";
    return;
  }
  if (inflight) inflight.abort();
  const controller = new AbortController();
  inflight = controller;
  const mine = ++generation;
  $("activity").textContent = "grading…";
  $("verdict").classList.add("stale");
  $("banner").classList.add("stale");
  try {
    const res = await api("/api/grade", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ exercise: picker.value, source: text }),
      signal: controller.signal,
    });
    const body = await res.text();
    if (mine !== generation) return;
    if (res.ok) {
      const verdict = JSON.parse(body);
      lastVerdict = verdict;
      lastVerdictText = body;
      editor.graded(text);
      clearTimeout(quietTimer);
      // Half-typed code from a live re-grade does not compile, and that is
      // no news: shown quietly (marks, a neutral banner) until the text has
      // been still a while longer, or at once when the interviewer asks.
      const quiet = !asked && verdict.status === "compile_error";
      render(verdict, quiet);
      if (quiet) {
        quietTimer = setTimeout(() => {
          if (lastVerdict === verdict && source.value === text) render(verdict, false);
        }, QUIET_MS);
      }
      markOutdated();
      $("activity").textContent = `graded in ${(verdict.timings_ms.total / 1000).toFixed(1)} s`;
      if (picker.value === "auto") showExercise(verdict.exercise);
    } else {
      let message = res.statusText;
      try { message = JSON.parse(body).error || message; } catch (_) { /* not JSON */ }
      const retry = Number(res.headers.get("Retry-After"));
      const [title, words] = problemWords(res.status, message);
      showProblem(res.status === 503 ? "busy" : "error", title, words);
      if (res.status === 503 && retry > 0) {
        $("activity").textContent = `server busy: retrying in ${retry} s`;
        liveTimer = setTimeout(() => grade(false), retry * 1000);
      } else {
        $("activity").textContent = "";
      }
    }
  } catch (err) {
    if (err.name === "AbortError") return; // superseded by a newer request
    if (mine !== generation) return;
    showProblem("error", "NO ANSWER",
      "The server did not answer (" + err.message + "). Is gograde serve still running? Press Ctrl+Enter to try again.");
    $("activity").textContent = "";
  } finally {
    if (mine === generation) {
      inflight = null;
      $("verdict").classList.remove("stale");
      $("banner").classList.remove("stale");
    }
  }
}

/// A problem instead of a verdict. Nothing of an earlier verdict stays:
/// its table, marks and exports described other code.
function showProblem(cls, title, message) {
  lastVerdict = null;
  lastVerdictText = "";
  editor.graded(null);
  setMarks(new Map());
  $("verdict").replaceChildren();
  $("copy-md").disabled = true;
  $("download").disabled = true;
  markOutdated();
  // An exercise detected from the earlier text says nothing of this one.
  if (picker.value === "auto") forgetExercise();
  const banner = $("banner");
  banner.className = "banner " + cls;
  banner.dataset.status = cls;
  $("status").textContent = title;
  $("score").textContent = "";
  $("exercise-name").textContent = "";
  $("summary").textContent = message;
}

/// A title and a sentence for an error answer, in the page's own terms:
/// the API's words name CLI flags and a file called "-".
function problemWords(status, message) {
  let text = String(message).replace(/^(-|<stdin>): /, "");
  text = text.charAt(0).toUpperCase() + text.slice(1);
  switch (status) {
    case 422:
      return ["NOT GRADED", text.replace(/;? ?pass --exercise\.?$/, "").replace(/; is it the right file\?$/, ": paste the candidate's Go code") +
        (/which exercise/.test(text) ? ". Pick the exercise in the list at the top, then grade again." : "")];
    case 413: return ["TOO LARGE", text + "."];
    case 404: return ["UNKNOWN EXERCISE", text + ". Pick one from the list at the top."];
    case 503: return ["BUSY", text];
    case 500: return ["GRADER ERROR", text];
    default: return ["NOT GRADED", text];
  }
}

// ---- verdict -------------------------------------------------------------

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

function lineButton(n, prefix) {
  return el("button", { cls: "link", type: "button", text: `${prefix ?? "line"} ${n}`.trim(), onclick: () => goToLine(n), data: { goto: n } });
}

function render(v, quiet) {
  const banner = $("banner");
  banner.className = "banner " + (quiet ? "quiet" : v.status);
  banner.dataset.status = v.status;
  banner.dataset.quiet = quiet ? "yes" : "";
  $("status").textContent = quiet ? "DOES NOT COMPILE YET" : STATUS_WORDS[v.status] || v.status.toUpperCase();
  // Nothing ran: a score of 0/0 would read as a grade.
  $("score").textContent = v.score.possible ? `${v.score.earned}/${v.score.possible}` : "";
  $("exercise-name").textContent = v.exercise;
  $("summary").textContent = bannerSummary(v);
  banner.classList.toggle("partial", v.status === "pass" && v.tests.some((t) => t.category !== "followup" && NOT_PASSING.has(t.status)));
  $("copy-md").disabled = false;
  $("download").disabled = false;

  setMarks(gogradeEditor.marksOf(v));

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
    const list = el("div", { cls: "failing" });
    list.id = "failing";
    for (const t of failing) list.append(testItem(t));
    out.push(list);
  }

  const groups = v.races.map(raceGroup);
  if (groups.length) {
    out.push(el("h2", { text: `Data races (${groups.length})` }));
    const list = el("div");
    list.id = "races";
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
    const list = el("ul", {}, questions.map((q) => el("li", { text: q })));
    list.id = "ask-next";
    out.push(list);
  }

  if (v.notes.length) {
    out.push(el("h2", { text: "Notes" }));
    out.push(el("ul", {}, v.notes.map((n) => el("li", {}, [el("span", { cls: "tag", text: n.kind }), document.createTextNode(" " + n.message)]))));
  }
  $("verdict").replaceChildren(...out);
}

/// The banner's sentence: short (the status and score are beside it; the
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

function testItem(t) {
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

// ---- scorecard and download ----------------------------------------------

// The scorecard is pasted into the interviewer's notes tool, which renders
// Markdown. Much of a verdict is the candidate's (panic values, compile
// messages, function names, even the summary of a compile error), and a
// panic value must not become a fake "PASS" heading, a link, a remote image
// (a tracking pixel) or raw HTML there. So every such string is made inert:
// on one line, and either a code span (nothing inside one is Markdown) or
// escaped punctuation by punctuation. Only gograde's own words and numbers
// are written as Markdown.

/// One line: line breaks shown as ⏎, other control characters (and the
/// bidi controls that make text read otherwise than it runs) as \u{XXXX},
/// so candidate text can never start a block of its own (a heading, a
/// fence, a table row) or end the list item it is in.
function mdLine(s) {
  return String(s)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, " ⏎ ")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => "\\u{" + c.charCodeAt(0).toString(16).padStart(4, "0") + "}");
}

/// A code span whose fence is one backtick longer than any run of backticks
/// in the text, padded with a space on each side (CommonMark takes one off
/// each side, so text starting or ending with a backtick stays whole).
function mdCode(s) {
  const text = mdLine(s);
  if (!text.trim()) return "(empty)";
  const longest = Math.max(0, ...(text.match(/`+/g) || []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
}

/// Prose with every ASCII punctuation character backslash-escaped (any of
/// them may be, in CommonMark), so no emphasis, link, image, autolink,
/// HTML, entity or list marker can form from it.
function mdText(s) {
  return mdLine(s).trim().replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/// A message in the page's terms: the pasted code has lines, not a file
/// called stdin.go, and goroutine numbers mean nothing to an interviewer.
function tidy(message) {
  return String(message)
    .replace(/ by goroutine \d+/g, "")
    .replace(/\bstdin\.go:(\d+)/g, "line $1");
}

/// A failure message for notes: without the goroutine stack a panic
/// carries, and at most 300 characters.
function brief(message) {
  let m = tidy(message);
  const stack = m.indexOf("\ngoroutine ");
  if (stack !== -1) m = m.slice(0, stack);
  return m.length > 300 ? m.slice(0, 300) + "…" : m;
}

/// The scorecard of verdict `v`, graded at `when` (a Date).
function markdown(v, when) {
  const md = [];
  const stamp = (when || new Date()).toISOString().replace("T", " ").slice(0, 16) + " UTC";
  md.push(`**gograde: ${mdText(v.exercise)}: ${STATUS_WORDS[v.status] || mdText(v.status)}**, score ${Number(v.score.earned)}/${Number(v.score.possible)}` +
    (v.followups.possible ? `, follow-ups ${Number(v.followups.earned)}/${Number(v.followups.possible)}` : "") +
    ` (graded ${stamp})`);
  md.push("", mdText(v.summary));
  const rows = [];
  for (const cat of CATEGORIES) {
    const tests = v.tests.filter((t) => t.category === cat);
    if (!tests.length) continue;
    rows.push(`| ${cat} | ${tests.filter((t) => t.status === "pass").length}/${tests.length} | ` +
      `${tests.reduce((a, t) => a + Number(t.earned), 0)}/${tests.reduce((a, t) => a + Number(t.points), 0)} |`);
  }
  // No tests ran (a compile error, a rejection): no empty table.
  if (rows.length) md.push("", "| category | passed | points |", "|---|---|---|", ...rows);
  const failing = v.tests.filter((t) => NOT_PASSING.has(t.status) && t.category !== "followup");
  if (failing.length) {
    md.push("", "Failing tests:");
    for (const t of failing) {
      md.push(`- ${mdCode(t.name)} (${mdText(t.category)}): ${t.message ? mdCode(brief(t.message)) : mdText(t.description)}`);
      if (t.expected != null && t.actual != null) {
        md.push(`  - expected ${mdCode(brief(t.expected))}, got ${mdCode(brief(t.actual))}`);
      }
    }
  }
  if (v.compile_errors.length) {
    md.push("", "Compile errors:");
    for (const ce of v.compile_errors) {
      md.push(`- ${ce.line > 0 ? `line ${Number(ce.line)}: ` : ""}${mdCode(ce.message)}`);
    }
  }
  const groups = v.races.map(raceGroup);
  if (groups.length) {
    md.push("", "Data races:");
    for (const g of groups) {
      const about = [];
      if (g.tests.length) about.push("seen in " + g.tests.map(mdCode).join(", "));
      if (g.count > 1) about.push(`reported ${Number(g.count)} times`);
      md.push("- " + g.sides.map((s) => s.line == null ? `${mdText(s.op)} in the harness`
        : `${mdText(s.op)} at line ${Number(s.line)} in ${mdCode(s.fn)}`).join("; ")
        + (about.length ? ` (${about.join("; ")})` : ""));
    }
  }
  const followups = v.tests.filter((t) => t.category === "followup");
  if (followups.length) {
    md.push("", "Follow-ups:");
    for (const t of followups) {
      md.push(`- ${mdCode(t.name)}: ${t.status === "skip" ? "not attempted" : mdText(t.status)}` +
        (t.status !== "skip" && t.status !== "pass" && t.message ? ` ${mdCode(brief(t.message))}` : ""));
    }
  }
  if (v.notes.length) {
    md.push("", "Notes:");
    for (const n of v.notes) md.push(`- ${mdText(n.kind)}: ${mdCode(n.message)}`);
  }
  const questions = askNext(v);
  if (questions.length) {
    md.push("", "Ask next:");
    for (const q of questions) md.push(`- ${mdText(q)}`);
  }
  return md.join("\n") + "\n";
}

async function copy(text, done) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    // Not a secure context (a plain-http address beyond loopback): the old way.
    const scratch = el("textarea");
    scratch.value = text;
    document.body.append(scratch);
    scratch.select();
    document.execCommand("copy");
    scratch.remove();
  }
  $("copied").textContent = done;
  setTimeout(() => { $("copied").textContent = ""; }, 2000);
}

$("copy-md").addEventListener("click", () => lastVerdict && copy(markdown(lastVerdict), "scorecard copied"));
$("download").addEventListener("click", () => {
  if (!lastVerdict) return;
  const url = URL.createObjectURL(new Blob([lastVerdictText], { type: "application/json" }));
  const a = el("a");
  a.href = url;
  a.download = `gograde-${lastVerdict.exercise}-${lastVerdict.status}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});

// Exposed for tests and the curious: the scorecard of the verdict shown, and
// the scorecard of any verdict (the browser test feeds it literal data).
window.gogradeScorecard = () => (lastVerdict ? markdown(lastVerdict) : "");
window.gogradeMarkdown = (v, when) => markdown(v, when ? new Date(when) : undefined);

renderGutter();
loadExercises().then(recall);
