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

// The verdict's view and its vocabulary: verdict.js, shared with the
// interview view's coding cards.
const { el, STATUS_WORDS, CATEGORIES, NOT_PASSING, raceGroup, askNext, tidy, bannerSummary } = gogradeVerdict;

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

// ---- the banner (the verdict itself is drawn by verdict.js) --------------

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

  $("verdict").replaceChildren(...gogradeVerdict.view(v, { goToLine, ids: true }));
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
