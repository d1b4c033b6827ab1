// The interview view: start an interview, run its phases against the clock,
// mark each question card, grade coding questions in place, export the
// scorecard. Every change is sent to the server as it happens (PATCH with
// the version it was made against); the server's record is the truth, so a
// reload, a second tab or a restarted server finds everything. Text is only
// ever set with textContent: nothing typed or graded is parsed as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token");
const SAVE_DELAY_MS = 300;
const LIVE_DELAY_MS = 1500;
const LIST_PAGE = 50; // interviews per page of the list

let iv = null; // the interview as last acknowledged by the server
let skew = 0; // server clock minus this browser's
const pending = { answers: {}, fields: {} }; // changes not yet acknowledged
// Saves go out one at a time, each naming the version the previous one
// returned: two of this tab's own saves in flight at once would make the
// second look stale.
let queue = Promise.resolve();
let saveTimer = null;
let shownPhase = null; // the phase whose cards are on screen

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

async function api(method, path, body, signal) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  // keepalive: a save sent as the tab closes still reaches the server.
  const res = await fetch(path, { method, headers, keepalive: method === "PATCH", signal, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = res.headers.get("Content-Type") || "";
  const data = res.status === 204 ? null : type.includes("json") ? await res.json() : await res.text();
  return { status: res.status, data };
}

function mmss(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
}

function usedMs(phase) {
  const t = iv.phases[phase - 1];
  let used = t ? t.used_ms : 0;
  if (iv.current_phase === phase && iv.running_since !== null) used += Date.now() + skew - iv.running_since;
  return used;
}

function setSaved(text, failed) {
  $("saved").textContent = text;
  $("saved").classList.toggle("failed", !!failed);
}

function accept(data) {
  iv = data;
  skew = data.now - Date.now();
}

// ---- saving ---------------------------------------------------------------

function schedule() {
  setSaved("unsaved…");
  clearTimeout(saveTimer);
  saveTimer = setTimeout(flush, SAVE_DELAY_MS);
}

async function flush() {
  if (!iv) return;
  const answers = pending.answers;
  const fields = pending.fields;
  if (!Object.keys(answers).length && !Object.keys(fields).length) return;
  pending.answers = {};
  pending.fields = {};
  await send(Object.assign({ answers }, fields), () => {
    // Not acknowledged: keep the changes (newer ones win) for the retry.
    pending.answers = Object.assign(answers, pending.answers);
    pending.fields = Object.assign(fields, pending.fields);
  });
}

// Sends one change after those queued before it; `restore` puts it back
// if it was not acknowledged.
function send(change, restore) {
  const run = queue.then(() => sendNow(change, restore));
  queue = run.catch(() => {});
  return run;
}

async function sendNow(change, restore) {
  setSaved("saving…");
  try {
    const { status, data } = await api("PATCH", "/api/interviews/" + iv.id, Object.assign({ version: iv.version }, change));
    if (status === 200) {
      accept(data);
      setSaved("saved " + new Date().toLocaleTimeString());
    } else if (status === 409) {
      // Another tab or tool saved first: show its state, never overwrite it.
      accept(data.current);
      const note = $("conflict");
      note.textContent = "This interview was changed elsewhere (version " + iv.version + "). It has been reloaded; redo your last change if it is missing.";
      note.hidden = false;
      renderRun(true);
      setSaved("reloaded");
    } else {
      restore && restore();
      setSaved("not saved: " + (data && data.error ? data.error : status), true);
    }
  } catch (e) {
    restore && restore();
    setSaved("offline, retrying…", true);
    setTimeout(flush, 2000);
  }
  if (Object.keys(pending.answers).length || Object.keys(pending.fields).length) schedule();
}

async function clockAction(action, phase) {
  // Pending marks go first so the clock change is made on the latest version.
  clearTimeout(saveTimer);
  await flush();
  const clock = phase ? { action, phase } : { action };
  await send({ clock });
  renderRun(false);
}

// ---- the list and start ---------------------------------------------------

async function showHome() {
  iv = null;
  shownPhase = null;
  history.replaceState(null, "", location.pathname + location.search);
  $("home").hidden = false;
  $("run").hidden = true;
  $("clockbox").hidden = true;
  const guides = await api("GET", "/api/guides");
  const select = $("guide");
  select.textContent = "";
  for (const g of guides.data || []) select.append(el("option", { value: g.id, text: g.title + " (" + g.planned_minutes + " min)" }));
  const past = $("past");
  past.textContent = "";
  await listPage(null);
}

// One page of the list of interviews, appended; "Show older" fetches the
// next.
async function listPage(before) {
  const past = $("past");
  const query = "?limit=" + LIST_PAGE + (before ? "&before=" + encodeURIComponent(before) : "");
  const list = await api("GET", "/api/interviews" + query);
  const page = list.status === 200 ? list.data : { interviews: [], next: null };
  const more = $("more");
  if (more) more.remove();
  $("none").hidden = page.interviews.length > 0 || past.childElementCount > 0;
  for (const r of page.interviews) {
    past.append(el("li", {},
      el("a", { href: "#" + r.id, text: r.candidate }),
      el("span", { class: "muted", text: " " + (r.interviewer || "") + ", " + new Date(r.created_at).toLocaleString() + (r.ended_at ? ", ended" : ", open") + ", " + r.recommendation.replace("_", " ") }),
      el("button", { type: "button", text: "Export", "data-export": r.id, onclick: () => exportRecord(r) }),
      el("button", { type: "button", text: "Delete", onclick: async () => {
        if (!confirm("Delete this interview and all its code versions?")) return;
        await api("DELETE", "/api/interviews/" + r.id);
        showHome();
      } })));
  }
  if (page.next) {
    past.after(el("button", { type: "button", id: "more", text: "Show older", onclick: () => listPage(page.next) }));
  }
}

// The whole record (every answer and code version) as a JSON file.
async function exportRecord(r) {
  const { status, data } = await api("GET", "/api/interviews/" + r.id + "/export");
  if (status !== 200) { setSaved(data.error || "cannot export", true); return; }
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const a = el("a", { href: url, download: "interview-" + r.id + ".json" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

$("start").addEventListener("submit", async (e) => {
  e.preventDefault();
  const { status, data } = await api("POST", "/api/interviews", {
    guide: $("guide").value || undefined, candidate: $("candidate").value, interviewer: $("interviewer").value,
  });
  if (status !== 201) { setSaved(data.error || "cannot start", true); return; }
  accept(data);
  await clockAction("start");
  location.hash = iv.id;
});

// The token travels in the URL between the two pages, as the server printed it.
if (token) $("to-quick").href = "/?token=" + encodeURIComponent(token);

$("to-list").addEventListener("click", (e) => { e.preventDefault(); showHome(); });

async function openInterview(id) {
  const { status, data } = await api("GET", "/api/interviews/" + encodeURIComponent(id));
  if (status !== 200) { setSaved(data.error || "cannot open", true); showHome(); return; }
  accept(data);
  $("home").hidden = true;
  $("run").hidden = false;
  $("clockbox").hidden = false;
  renderRun(true);
}

// ---- the hour ----------------------------------------------------------------

function phaseOnScreen() {
  return iv.current_phase || 1;
}

function renderRun(full) {
  const phase = phaseOnScreen();
  renderTimeline();
  tick();
  $("pause").textContent = iv.running_since === null ? "Resume" : "Pause";
  $("pause").disabled = !!iv.ended_at;
  $("prev").disabled = !!iv.ended_at || phase <= 1;
  $("next").disabled = !!iv.ended_at || phase >= iv.guide.phases.length;
  $("end").disabled = !!iv.ended_at;
  if (full || shownPhase !== phase) {
    shownPhase = phase;
    renderCards(phase);
    $("recommendation").value = iv.recommendation;
    $("summary").value = iv.summary;
  }
}

function renderTimeline() {
  const box = $("timeline");
  box.textContent = "";
  for (const p of iv.guide.phases) {
    const used = usedMs(p.number);
    const planned = p.minutes * 60000;
    const node = el("button", { type: "button", class: "tl" + (p.number === iv.current_phase ? " current" : "") + (used > planned ? " over" : ""), title: "Go to phase " + p.number, onclick: () => { if (!iv.ended_at) clockAction("goto", p.number); } },
      el("span", { class: "t", text: p.number + ". " + p.title }),
      el("span", { class: "t muted", text: mmss(used) + " / " + mmss(planned) }),
      el("div", { class: "bar2" }, el("div", { class: "fill" })));
    // Through the CSSOM: the page's policy forbids style attributes.
    node.querySelector(".fill").style.width = Math.min(100, (100 * used) / planned) + "%";
    box.append(node);
  }
}

function tick() {
  if (!iv) return;
  const phase = phaseOnScreen();
  const p = iv.guide.phases[phase - 1];
  const used = usedMs(phase);
  const over = used > p.minutes * 60000;
  $("phase-name").textContent = "Phase " + phase + ": " + p.title + (iv.ended_at ? " (ended)" : iv.running_since === null ? " (paused)" : "");
  $("clock").textContent = mmss(used) + " / " + mmss(p.minutes * 60000);
  $("clock").classList.toggle("over", over);
  $("overrun").hidden = !over;
  // Each started coding question's own clock.
  const now = iv.ended_at || Date.now() + skew;
  for (const node of document.querySelectorAll("[data-started-at]")) {
    if (node.dataset.startedAt) node.textContent = "on this question for " + mmss(now - Number(node.dataset.startedAt));
  }
  for (const [i, node] of Array.from($("timeline").children).entries()) {
    const q = iv.guide.phases[i];
    const u = usedMs(q.number);
    node.children[1].textContent = mmss(u) + " / " + mmss(q.minutes * 60000);
    node.querySelector(".fill").style.width = Math.min(100, (100 * u) / (q.minutes * 60000)) + "%";
    node.classList.toggle("over", u > q.minutes * 60000);
  }
}

function answerOf(key) {
  return Object.assign({ covered: [], followups: [], rating: null, notes: "", evidence: "" }, pending.answers[key] || iv.answers[key] || {});
}

function change(key, edit) {
  const a = answerOf(key);
  edit(a);
  pending.answers[key] = a;
  schedule();
}

function toggle(list, i, on) {
  const set = new Set(list);
  if (on) set.add(i); else set.delete(i);
  return Array.from(set).sort((a, b) => a - b);
}

function ratingRow(key, anchors) {
  const row = el("div", { class: "rating", role: "radiogroup", "aria-label": "Rating" });
  const current = answerOf(key).rating;
  const levels = [[null, "no decision"], [1, "1"], [2, "2"], [3, "3"], [4, "4"]];
  for (const [level, label] of levels) {
    const input = el("input", { type: "radio", name: "rating-" + key, value: level === null ? "" : level, "data-rating": level === null ? "none" : level });
    input.checked = current === level;
    input.addEventListener("change", () => change(key, (a) => { a.rating = level; }));
    const anchor = level && anchors && anchors[level] ? el("span", { class: "anchor", text: anchors[level] }) : null;
    row.append(el("label", {}, input, el("span", { text: label }), anchor));
  }
  return row;
}

function notes(key, field, label, rows) {
  const area = el("textarea", { rows: rows || 2, "data-field": field, "aria-label": label, placeholder: label });
  area.value = answerOf(key)[field];
  area.addEventListener("input", () => change(key, (a) => { a[field] = area.value; }));
  return area;
}

function questionCard(q) {
  const key = q.id;
  const a = answerOf(key);
  const card = el("article", { class: "card q", "data-question": key },
    el("p", { class: "ask" }, el("span", { class: "id", text: q.id }), document.createTextNode(q.ask)));
  const points = el("ul", { "aria-label": "Points of a strong answer" });
  q.points.forEach((text, i) => {
    const box = el("input", { type: "checkbox", "data-point": i });
    box.checked = a.covered.includes(i);
    box.addEventListener("change", () => change(key, (x) => { x.covered = toggle(x.covered, i, box.checked); }));
    points.append(el("li", {}, el("label", {}, box, el("span", { text: text }))));
  });
  card.append(el("h3", { text: "A strong answer covers" }), points);
  if (q.followups.length) {
    const fl = el("ul", { "aria-label": "Follow-ups" });
    q.followups.forEach((f, i) => {
      const box = el("input", { type: "checkbox", "data-followup": i });
      box.checked = a.followups.includes(i);
      box.addEventListener("change", () => change(key, (x) => { x.followups = toggle(x.followups, i, box.checked); }));
      fl.append(el("li", {}, el("label", {}, box, el("span", { text: f.ask }), el("span", { class: "probe", text: "probes: " + f.probes }))));
    });
    card.append(el("h3", { text: "Follow-ups (tick when asked)" }), fl);
  }
  card.append(ratingRow(key, q.anchors), notes(key, "notes", "Notes"));
  return card;
}

function statusLine(v) {
  return v.status + ": " + v.summary + " (" + v.score_earned + "/" + v.score_possible + ")";
}

// A line diff (longest common subsequence) of two versions' sources.
function diffLines(a, b) {
  const x = a.split("\n"), y = b.split("\n");
  const n = x.length, m = y.length;
  const t = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) t[i][j] = x[i] === y[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { out.push([" ", x[i]]); i++; j++; }
    else if (j < m && (i >= n || t[i][j + 1] >= t[i + 1][j])) { out.push(["+", y[j]]); j++; }
    else { out.push(["-", x[i]]); i++; }
  }
  return out;
}

// Versions whole (source and verdict), fetched once each: the interview's
// record lists its versions as summaries.
const fullVersions = new Map(); // "id/exercise/seq" -> Promise of {source, verdict, ...}

function fullVersion(v) {
  const key = iv.id + "/" + v.exercise + "/" + v.seq;
  if (!fullVersions.has(key)) {
    const path = "/api/interviews/" + iv.id + "/versions/" + encodeURIComponent(v.exercise) + "/" + v.seq;
    fullVersions.set(key, api("GET", path).then(({ status, data }) => {
      if (status !== 200) {
        fullVersions.delete(key);
        throw new Error((data && data.error) || "status " + status);
      }
      return data;
    }));
  }
  return fullVersions.get(key);
}

function rememberVersion(v, source, verdict) {
  fullVersions.set(iv.id + "/" + v.exercise + "/" + v.seq, Promise.resolve(Object.assign({ source, verdict }, v)));
}

// The "Start question" control of a coding card: time to first pass counts
// from it (the server stamps the time).
function startControl(slot, key) {
  const label = el("span", { class: "muted started" });
  const button = el("button", { type: "button", text: "Start question", "data-start": slot.exercise });
  const show = () => {
    const at = (iv.answers[key] || {}).started_at;
    button.hidden = !!at || !!iv.ended_at;
    label.dataset.startedAt = at || "";
    label.textContent = at ? "" : "not started: time to first pass counts from the start of the phase";
    tick();
  };
  button.addEventListener("click", async () => {
    clearTimeout(saveTimer);
    await flush();
    await send({ start_question: slot.exercise });
    show();
  });
  show();
  return el("div", { class: "row" }, button, label);
}

// The evidence of a coding card: the grader's facts of the latest version
// until the interviewer writes in it; from then on their words, kept
// through every re-grade, with the grader's facts shown beside them.
function evidenceControl(key, latestFacts) {
  const area = el("textarea", { rows: 3, "data-field": "evidence", "aria-label": "Evidence" });
  const facts = el("p", { class: "muted", "data-facts": "" });
  const reset = el("button", { type: "button", class: "small", text: "Use the grader's facts instead" });
  const show = () => {
    const a = answerOf(key);
    // Never under the interviewer's fingers.
    if (document.activeElement !== area) area.value = a.evidence_edited ? a.evidence : latestFacts();
    area.dataset.edited = a.evidence_edited ? "yes" : "";
    facts.textContent = a.evidence_edited && latestFacts() ? "Grader's facts (latest version): " + latestFacts() : "";
    reset.hidden = !a.evidence_edited;
  };
  area.addEventListener("input", () => {
    change(key, (a) => { a.evidence = area.value; a.evidence_edited = true; });
    show();
  });
  reset.addEventListener("click", () => {
    // The interviewer's words go: only when they say so.
    if (!confirm("Replace your evidence with the grader's facts? Your text will be gone.")) return;
    change(key, (a) => { a.evidence = ""; a.evidence_edited = false; });
    show();
  });
  show();
  return { nodes: [el("h3", { text: "Evidence" }), area, facts, reset], show };
}

// The graded versions of a coding question: a button per version (two
// picked: their diff), the verdict of the one shown: its summary and the
// grader's facts at once, then, with its source and verdict, the
// candidate's lines it points at, quoted from that version's source, and
// the quick check's whole view of the verdict (verdict.js). Every line
// number is a link into the card's own editor (`goTo(n, text)`: line `n`
// of the version's `text`, wherever it is in the editor now).
function versionsPanel(slot, goTo) {
  const mine = () => iv.versions.filter((v) => v.exercise === slot.exercise);
  const verdict = el("div", { class: "verdict", role: "status", "data-verdict": "" });
  const view = el("div", { class: "vview" });
  const list = el("div", { class: "versions", "aria-label": "Graded versions" });
  const diff = el("div", { class: "diff", hidden: true });
  const marks = el("div", { class: "diff marks", "aria-label": "Marked lines" });
  let shown = null;
  let picked = [];
  const showVerdict = (v) => {
    shown = v;
    verdict.className = "verdict " + v.status;
    verdict.textContent = "v" + v.seq + " " + statusLine(v) + "\n" + v.facts;
    marks.textContent = "";
    // The view of the version shown before stays, faded, until this one's
    // verdict is in: no jump in the card's height for a moment.
    view.classList.add("stale");
    fullVersion(v).then((full) => {
      if (shown !== v) return;
      const goToLine = (n) => goTo(n, full.source);
      // The quick check's short sentence for the record's long summary.
      verdict.textContent = "v" + v.seq + " " + statusLine(Object.assign({}, v, { summary: gogradeVerdict.bannerSummary(full.verdict) })) + "\n" + v.facts;
      view.replaceChildren(...gogradeVerdict.view(full.verdict, { goToLine }));
      view.classList.remove("stale");
      const lines = full.source.split("\n");
      const marked = raceLines(full.verdict).map((n) => [n, "race"]).concat((full.verdict.compile_errors || []).map((c) => [c.line, "does not compile"]));
      for (const [n, why] of marked) {
        if (n < 1 || n > lines.length) continue;
        const number = String(n);
        marks.append(el("span", { class: "del", "data-line": n }, " ".repeat(Math.max(0, 4 - number.length)),
          el("button", { type: "button", class: "link", "data-goto": n, text: number, title: "Show line " + n + " in the editor", onclick: () => goToLine(n) }),
          " " + lines[n - 1] + "    <- " + why + "\n"));
      }
    }).catch((e) => {
      if (shown !== v) return;
      verdict.textContent += "\n(cannot load this version: " + e.message + ")";
      view.replaceChildren();
      view.classList.remove("stale");
    });
  };
  const showDiff = async (vs) => {
    diff.textContent = "";
    diff.hidden = picked.length !== 2;
    if (picked.length !== 2) return;
    const wanted = picked.slice().sort((p, q) => p - q);
    const [a, b] = await Promise.all(wanted.map((s) => fullVersion(vs.find((v) => v.seq === s))));
    // Picked otherwise meanwhile: that pick draws its own diff.
    if (picked.slice().sort((p, q) => p - q).join() !== wanted.join()) return;
    diff.textContent = "";
    for (const [mark, line] of diffLines(a.source, b.source)) {
      diff.append(el("span", { class: mark === "+" ? "add" : mark === "-" ? "del" : "", text: mark + " " + line + "\n" }));
    }
  };
  const showVersions = () => {
    list.textContent = "";
    const vs = mine();
    for (const v of vs) {
      const b = el("button", { type: "button", class: v.status + (picked.includes(v.seq) ? " sel" : ""), "data-seq": v.seq, title: new Date(v.created_at).toLocaleTimeString() + (v.phase ? ", phase " + v.phase : "") + ", seed " + v.seed, text: "v" + v.seq + " " + v.status });
      b.addEventListener("click", () => {
        picked = picked.includes(v.seq) ? picked.filter((s) => s !== v.seq) : picked.concat(v.seq).slice(-2);
        showVerdict(v);
        showDiff(vs);
        showVersions();
      });
      list.append(b);
    }
    if (vs.length && !shown) showVerdict(vs[vs.length - 1]);
  };
  return {
    verdict, view, list, diff, marks, mine,
    /// Shows the list again with the newest version's verdict.
    newest() { shown = null; showVersions(); },
    /// No version's verdict: a grade is under way (`faded`, its view
    /// stays until the new one is in) or has failed (nothing stays: it
    /// described other code).
    clear(faded) {
      marks.textContent = "";
      if (faded) view.classList.add("stale");
      else { shown = null; view.replaceChildren(); }
    },
    showVersions,
  };
}

function codingCard(slot) {
  const key = "code:" + slot.exercise;
  const card = el("article", { class: "card q coding", "data-exercise": slot.exercise },
    el("p", { class: "ask" }, el("span", { class: "id", text: "code" }), document.createTextNode(slot.title || slot.exercise)),
    el("p", { class: "probe", text: "probes: " + slot.probes }));
  // The quick check's editor (editor.js): line numbers, the lines the
  // latest verdict marks (following the code as it is edited), Tab,
  // Ctrl+Enter to grade. What it says (a linked line edited since) goes
  // under its buttons, never over the verdict.
  const box = gogradeEditor.box("Candidate's code for " + slot.exercise, "Paste the candidate's code");
  const said = el("p", { class: "muted said", "aria-live": "polite" });
  const editor = gogradeEditor.attach(box, { grade: () => gradeNow(), say: (text) => { said.textContent = text; } });
  // The verdict's line links move this card's editor, not another card's.
  const panel = versionsPanel(slot, (n, text) => { said.textContent = ""; editor.goToLine(n, text); });
  const verdict = panel.verdict;
  const source = editor.textarea;
  source.dataset.code = slot.exercise;
  // What is typed is kept in this browser until it is graded (a grade
  // records it on the server).
  const draftKey = "gograde-draft-" + iv.id + "-" + slot.exercise;
  source.value = localStorage.getItem(draftKey) || "";
  source.addEventListener("input", () => localStorage.setItem(draftKey, source.value));
  const latest = panel.mine()[panel.mine().length - 1];
  if (latest) {
    fullVersion(latest).then((full) => {
      if (!editor.alive()) return;
      // Typed meanwhile: the typing stays.
      if (!source.value) source.value = full.source;
      editor.graded(full.source);
      editor.setMarks(gogradeEditor.marksOf(full.verdict));
    }).catch((e) => { verdict.textContent = "cannot load the latest version: " + e.message; });
  }
  const evidence = evidenceControl(key, () => { const vs = panel.mine(); return vs.length ? vs[vs.length - 1].facts : ""; });
  const grade = el("button", { type: "button", text: "Grade" });
  const live = el("input", { type: "checkbox", "data-live": "" });
  live.checked = true;
  let inflight = null; // the AbortController of the grade under way
  let lastSent = null;
  let liveTimer = null;
  const gradeNow = async () => {
    // A newer text supersedes the grade under way: aborting the request
    // makes the server cancel it, and no version is recorded for it.
    if (inflight) inflight.abort();
    const mine = new AbortController();
    inflight = mine;
    const text = source.value;
    lastSent = text;
    verdict.className = "verdict";
    verdict.textContent = "grading…";
    said.textContent = "";
    panel.clear(true);
    try {
      const { status, data } = await api("POST", "/api/interviews/" + iv.id + "/grade", { exercise: slot.exercise, source: text }, mine.signal);
      if (status !== 200) {
        panel.clear(false);
        verdict.textContent = "not graded: " + (data.error || status);
        return;
      }
      rememberVersion(data.version, text, data.verdict);
      iv.versions.push(data.version);
      if (text === source.value) localStorage.removeItem(draftKey);
      panel.newest();
      editor.graded(text);
      editor.setMarks(gogradeEditor.marksOf(data.verdict));
      evidence.show();
    } catch (e) {
      if (e.name !== "AbortError") {
        panel.clear(false);
        verdict.textContent = "not graded: " + e.message;
      }
    } finally {
      if (inflight === mine) inflight = null;
    }
  };
  grade.addEventListener("click", gradeNow);
  source.addEventListener("input", () => {
    clearTimeout(liveTimer);
    // Re-grade once typing pauses, as on the quick-check page.
    liveTimer = setTimeout(() => {
      if (live.checked && editor.alive() && source.value.trim() && source.value !== lastSent) gradeNow();
    }, LIVE_DELAY_MS);
  });
  // The code on the left and its verdict on the right where the window
  // is wide enough, as on the quick-check page: both in view at once.
  card.append(startControl(slot, key), el("div", { class: "work" },
    el("div", { class: "code-side" }, box, el("div", { class: "row" }, grade, el("label", {}, live, el("span", { text: " live re-grade" })), el("span", { class: "muted", text: "versions:" }), panel.list), said),
    el("div", { class: "verdict-side" }, verdict, panel.marks, panel.diff, panel.view)));
  card.append(...evidence.nodes, ratingRow(key, null), notes(key, "notes", "Notes"));
  panel.showVersions();
  return card;
}

// The candidate's lines in the verdict's races, in order (editor.js finds
// each access's first frame in the candidate's own file).
function raceLines(verdict) {
  const lines = new Set();
  for (const r of (verdict && verdict.races) || []) for (const n of gogradeEditor.raceLines(r)) lines.add(n);
  return [...lines].sort((a, b) => a - b);
}

const exerciseTitles = new Map(); // exercise id -> its title, once loaded

// The cards of a phase, drawn at once (a phase's header and its cards
// must never disagree, even for a moment); a coding card's title comes in
// when the exercise has been read.
function renderCardsFor(phase) {
  const p = iv.guide.phases[phase - 1];
  const slots = iv.guide.coding.filter((c) => c.phases.includes(phase));
  const head = $("phase-head");
  head.textContent = "";
  head.append(el("h2", { text: "Phase " + p.number + ": " + p.title }), el("p", { class: "muted", text: p.focus + " (" + p.minutes + " min planned)" }));
  const cards = $("cards");
  cards.textContent = "";
  for (const q of p.questions) cards.append(questionCard(q));
  if (slots.length && iv.guide.coding_advice) cards.append(el("p", { class: "muted", text: iv.guide.coding_advice }));
  for (const slot of slots) {
    const card = codingCard(Object.assign({ title: exerciseTitles.get(slot.exercise) || slot.exercise }, slot));
    cards.append(card);
    if (!exerciseTitles.has(slot.exercise)) {
      api("GET", "/api/exercises/" + encodeURIComponent(slot.exercise)).then((ex) => {
        if (ex.status !== 200) return;
        exerciseTitles.set(slot.exercise, ex.data.title);
        card.querySelector(".ask").lastChild.textContent = ex.data.title;
      });
    }
  }
}

function renderCards(phase) {
  renderCardsFor(phase);
}

$("pause").addEventListener("click", () => clockAction(iv.running_since === null ? "resume" : "pause"));
$("prev").addEventListener("click", () => clockAction("goto", phaseOnScreen() - 1));
$("next").addEventListener("click", () => clockAction("goto", phaseOnScreen() + 1));
$("end").addEventListener("click", () => clockAction("end"));
$("recommendation").addEventListener("change", () => { pending.fields.recommendation = $("recommendation").value; schedule(); });
$("summary").addEventListener("input", () => { pending.fields.summary = $("summary").value; schedule(); });

async function scorecard(format) {
  clearTimeout(saveTimer);
  await flush();
  const { data } = await api("GET", "/api/interviews/" + iv.id + "/scorecard?format=" + format);
  const pre = $("scorecard");
  pre.textContent = typeof data === "string" ? data : JSON.stringify(data, null, 2);
  pre.hidden = false;
  $("copy-card").hidden = false;
}
$("card-md").addEventListener("click", () => scorecard("markdown"));
$("card-json").addEventListener("click", () => scorecard("json"));
$("copy-card").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("scorecard").textContent));

// A closing tab sends what is pending (the server keeps it even if the
// answer never arrives).
window.addEventListener("pagehide", () => { clearTimeout(saveTimer); flush(); });
window.addEventListener("hashchange", () => { if (location.hash.length > 1) openInterview(location.hash.slice(1)); });
setInterval(tick, 1000);

if (location.hash.length > 1) openInterview(location.hash.slice(1)); else showHome();
