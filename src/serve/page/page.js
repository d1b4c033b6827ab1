// gograde quick check: the page's whole behaviour, with no library.
// Everything that comes from a verdict or the candidate's code is written
// with textContent (through el()), never parsed as HTML: a submission is
// attacker-controlled and its text ends up in messages and outputs.
"use strict";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token");
const DEBOUNCE_MS = 900;

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

// ---- editor: line numbers, Tab, marks ----------------------------------

const source = $("source");
const KEPT_SOURCE = "gograde-quick-check-source";
const gutter = $("gutter");
const backdrop = $("backdrop");
let marks = new Map(); // line -> "race" | "error"
let escaped = false; // Esc pressed: the next Tab leaves the editor

function lineCount() {
  let n = 1;
  for (let i = source.value.indexOf("\n"); i !== -1; i = source.value.indexOf("\n", i + 1)) n++;
  return n;
}

function renderGutter() {
  const n = lineCount();
  if (gutter.childElementCount !== n) {
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= n; i++) frag.append(el("div", { text: i, data: { line: i } }));
    gutter.replaceChildren(frag);
  }
  for (const div of gutter.children) {
    const kind = marks.get(Number(div.dataset.line));
    div.className = kind || "";
    div.title = kind === "race" ? "data race on this line" : kind === "error" ? "compile error on this line" : "";
  }
  const bands = [];
  const lh = parseFloat(getComputedStyle(gutter.firstElementChild).height) || 20;
  for (const [line, kind] of marks) {
    if (line > n) continue;
    const band = el("div", { cls: "band " + kind, data: { line } });
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

function setMarks(next) {
  marks = next;
  renderGutter();
}

/// Selects line `n` of the editor and scrolls it into view.
function goToLine(n) {
  const lines = source.value.split("\n");
  let start = 0;
  for (let i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[n - 1] || "").length;
  source.focus();
  source.setSelectionRange(start, end);
  const lh = parseFloat(getComputedStyle(gutter.firstElementChild).height) || 20;
  source.scrollTop = Math.max(0, (n - 4) * lh);
  syncScroll();
}

source.addEventListener("scroll", syncScroll);
source.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    grade(true);
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
source.addEventListener("input", () => {
  // Kept in the browser so a reload or a closed tab does not lose the paste.
  try { localStorage.setItem(KEPT_SOURCE, source.value); } catch (_) { /* storage off */ }
  // Line numbers of an old verdict no longer match edited code.
  renderGutter();
  scheduleLive();
});
window.addEventListener("resize", renderGutter);

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
  $("prompt-text").textContent = ex.prompt;
  $("stub-text").textContent = ex.stub;
  $("prompt-empty").hidden = true;
  $("prompt-body").hidden = false;
}

picker.addEventListener("change", () => {
  showExercise(picker.value);
  if (picker.value !== "auto") $("prompt-box").open = true;
  if (source.value.trim()) grade(false);
});
$("copy-prompt").addEventListener("click", () => copy($("prompt-text").textContent, "prompt copied"));
$("copy-stub").addEventListener("click", () => copy($("stub-text").textContent, "stub copied"));
$("use-stub").addEventListener("click", () => {
  source.value = $("stub-text").textContent;
  source.dispatchEvent(new Event("input"));
  source.focus();
});

// ---- grading -------------------------------------------------------------

let inflight = null; // AbortController of the newest request
let liveTimer = null;
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
      render(verdict);
      $("activity").textContent = `graded in ${(verdict.timings_ms.total / 1000).toFixed(1)} s`;
      if (picker.value === "auto") showExercise(verdict.exercise);
    } else {
      let message = res.statusText;
      try { message = JSON.parse(body).error || message; } catch (_) { /* not JSON */ }
      const retry = Number(res.headers.get("Retry-After"));
      showProblem(res.status === 503 ? "busy" : "error", res.status === 503 ? "BUSY" : `HTTP ${res.status}`, message);
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
    showProblem("error", "NO ANSWER", "The server did not answer: " + err.message);
    $("activity").textContent = "";
  } finally {
    if (mine === generation) {
      inflight = null;
      $("verdict").classList.remove("stale");
      $("banner").classList.remove("stale");
    }
  }
}

function showProblem(cls, title, message) {
  const banner = $("banner");
  banner.className = "banner " + cls;
  banner.dataset.status = cls;
  $("status").textContent = title;
  $("score").textContent = "";
  $("exercise-name").textContent = "";
  $("summary").textContent = message;
}

// ---- verdict -------------------------------------------------------------

const STATUS_WORDS = {
  pass: "PASS", fail: "FAIL", compile_error: "COMPILE ERROR",
  rejected: "REJECTED", timeout: "TIMEOUT", error: "GRADER ERROR",
};
const CATEGORIES = ["core", "robustness", "performance", "followup"];
const NOT_PASSING = new Set(["fail", "error", "timeout"]);

/// The candidate's line of each access of a race (null for harness-only).
function raceLines(race) {
  return race.accesses.map((a) => {
    const frame = a.frames.find((f) => f.candidate);
    return frame ? { line: frame.line, op: a.op, fn: frame.function } : { line: null, op: a.op, fn: null };
  });
}

/// Races grouped by the pair of candidate lines involved.
function groupRaces(races) {
  const groups = new Map();
  for (const race of races) {
    const sides = raceLines(race);
    const key = sides.map((s) => s.line ?? "harness").sort().join("↔");
    if (!groups.has(key)) groups.set(key, { sides, count: 0, tests: new Set(), summary: race.summary });
    const g = groups.get(key);
    g.count++;
    if (race.test) g.tests.add(race.test);
  }
  return [...groups.values()];
}

function describeSide(s) {
  return s.line == null ? `${s.op} in the harness` : `${s.op} at line ${s.line} in ${s.fn}`;
}

function lineButton(n, prefix) {
  return el("button", { cls: "link", type: "button", text: `${prefix || "line"} ${n}`, onclick: () => goToLine(n) });
}

function render(v) {
  const banner = $("banner");
  banner.className = "banner " + v.status;
  banner.dataset.status = v.status;
  $("status").textContent = STATUS_WORDS[v.status] || v.status.toUpperCase();
  $("score").textContent = `${v.score.earned}/${v.score.possible}`;
  $("exercise-name").textContent = v.exercise;
  $("summary").textContent = v.summary;
  $("copy-md").disabled = false;
  $("download").disabled = false;

  const next = new Map();
  for (const ce of v.compile_errors) if (ce.line > 0) next.set(ce.line, "error");
  for (const race of v.races) for (const s of raceLines(race)) if (s.line) next.set(s.line, "race");
  setMarks(next);

  const out = [];
  out.push(categoryTable(v));

  if (v.compile_errors.length) {
    out.push(el("h2", { text: "Compile errors" }));
    out.push(el("ul", {}, v.compile_errors.map((ce) =>
      el("li", { cls: "mono", data: { line: ce.line } }, [lineButton(ce.line), document.createTextNode(`:${ce.column}: ${ce.message}`)]))));
  }

  const failing = v.tests.filter((t) => NOT_PASSING.has(t.status) && t.category !== "followup");
  if (failing.length) {
    out.push(el("h2", { text: `Failing tests (${failing.length})` }));
    const list = el("div", { cls: "failing" });
    list.id = "failing";
    for (const t of failing) list.append(testItem(t));
    out.push(list);
  }

  const groups = groupRaces(v.races);
  if (groups.length) {
    out.push(el("h2", { text: `Data races (${v.races.length})` }));
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
        g.tests.size ? el("div", { cls: "muted", text: "seen in " + [...g.tests].join(", ") }) : null,
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
    t.message ? el("div", { text: t.message }) : null,
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
      el("div", { text: `first difference at code point ${at} (expected ${e.length} code points, got ${a.length})` }),
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

function markdown(v) {
  const md = [];
  const clean = (s) => String(s).replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
  md.push(`**gograde: ${v.exercise}: ${STATUS_WORDS[v.status] || v.status}**, score ${v.score.earned}/${v.score.possible}` +
    (v.followups.possible ? `, follow-ups ${v.followups.earned}/${v.followups.possible}` : ""));
  md.push("", clean(v.summary), "", "| category | passed | points |", "|---|---|---|");
  for (const cat of CATEGORIES) {
    const tests = v.tests.filter((t) => t.category === cat);
    if (!tests.length) continue;
    md.push(`| ${cat} | ${tests.filter((t) => t.status === "pass").length}/${tests.length} | ` +
      `${tests.reduce((a, t) => a + t.earned, 0)}/${tests.reduce((a, t) => a + t.points, 0)} |`);
  }
  const failing = v.tests.filter((t) => NOT_PASSING.has(t.status));
  if (failing.length) {
    md.push("", "Failing tests:");
    for (const t of failing) md.push(`- \`${t.name}\` (${t.category}): ${clean(t.message || t.description)}`);
  }
  if (v.compile_errors.length) {
    md.push("", "Compile errors:");
    for (const ce of v.compile_errors) md.push(`- line ${ce.line}: ${clean(ce.message)}`);
  }
  const groups = groupRaces(v.races);
  if (groups.length) {
    md.push("", "Data races:");
    for (const g of groups) md.push(`- ${g.sides.map(describeSide).join("; ")}`);
  }
  const questions = askNext(v);
  if (questions.length) {
    md.push("", "Ask next:");
    for (const q of questions) md.push(`- ${clean(q)}`);
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

// Exposed for tests and the curious: the scorecard of the verdict shown.
window.gogradeScorecard = () => (lastVerdict ? markdown(lastVerdict) : "");

try { source.value = source.value || localStorage.getItem(KEPT_SOURCE) || ""; } catch (_) { /* storage off */ }
renderGutter();
loadExercises();
