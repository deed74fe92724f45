// career-chat's web page: asks /api/ask, shows the answer, opens its sources.
// Everything from the server (article text, titles, file names, the question echoed) is
// put on the page with textContent or createElement only, never parsed as HTML: no text can
// become markup or script. Links are made only for http(s) addresses.
"use strict";

(function () {
  const OUTCOME = {
    covered: "Answered from the article",
    partial: "Partly answered",
    closest: "Closest passage only",
    none: "Not covered",
  };
  // knowledge.inputs.MAX_QUESTION_CHARS: of a longer message, the server reads its last question.
  const MAX_QUESTION_CHARS = 2000;
  // A message (or the question read of it) longer than this is shown as its start and its
  // length: a pasted page echoed whole made the page thousands of pixels tall, read out whole.
  const SHOWN_CHARS = 300;
  // chat.cli.MOST_LISTED: a refusal lists every topic up to this many, else the nearest.
  const MOST_LISTED = 20;
  // How long a question may wait for its answer before the page says the server did not
  // answer (a paused or stuck server never does). window.careerChatAskTimeLimitMs, set before
  // this script loads, overrides it (the browser tests make it short).
  const ASK_TIME_LIMIT_MS = Number(window.careerChatAskTimeLimitMs) || 60000;
  // How many turns a reload shows again (the server keeps the conversation's own context).
  const KEPT_TURNS = 50;
  // chat.web.api: the conversation ids the API takes.
  const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
  // round: which conversation the page is in; a reply to an earlier round is the forgotten one's.
  // where: "the article", or "the articles" for a folder of several; turns: this
  // conversation's, kept for a reload under articlesKey (the articles and their version).
  const state = {
    conversation: null, round: 0, busy: false, opener: null, labels: new Map(), where: "the article",
    turns: [], articlesKey: "",
    marks: [], at: 0,  // the open passage's quoted sentences (their <mark>s), and the one shown now
  };
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function webAddress(value) {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  // A request that got no answer: unsent rather than refused, so the question can go again.
  function unanswered(message) {
    const error = new Error(message);
    error.unanswered = true;
    return error;
  }

  // options.timeLimit (ms): given up on after it, as when the server does not answer at all.
  async function getJSON(url, options) {
    const { timeLimit, ...init } = options || {};
    const controller = new AbortController();
    const timer = timeLimit ? setTimeout(() => controller.abort(), timeLimit) : null;
    const seconds = Math.round(timeLimit / 1000);
    const tooLong = () => unanswered(`the server did not answer within ${seconds} second${seconds === 1 ? "" : "s"}; `
      + "it may be busy or paused. Try again in a moment.");
    let response;
    let body = null;
    try {
      try {
        response = await fetch(url, { ...init, signal: controller.signal });
      } catch (error) {  // no answer at all: the browser's own words ("Failed to fetch") say nothing
        if (controller.signal.aborted) throw tooLong();
        throw unanswered("the server did not answer; is career-chat serve still running?");
      }
      try {
        body = await response.json();
      } catch (error) {
        if (controller.signal.aborted) throw tooLong();  // its body stopped coming
        body = null;
      }
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : "the server could not answer";
      throw new Error(detail);
    }
    return body;
  }

  // The line under the conversation: progress, or an error, drawn as one. `about` names what
  // an error is about ("passage"), so that what clears it (the passage opening) clears it alone.
  function say(text, about) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(about));
    status.dataset.about = about || "";
  }

  // Counted as the server counts: characters, not UTF-16 units.
  function shortened(text) {
    const chars = Array.from(text);
    if (chars.length <= SHOWN_CHARS) return text;
    return `${chars.slice(0, SHOWN_CHARS).join("").trimEnd()}… (${chars.length.toLocaleString("en")} characters)`;
  }

  // What the engine says beside the outcome (the badge says the outcome itself).
  function headline(answer) {
    if (answer.coverage === "none" && !(answer.suggestions && answer.suggestions.length)) {
      return answer.message || (state.where === "the article" ? "The article does not cover that." : "The articles do not cover that.");
    }
    return answer.message || "";
  }

  // The quoted sentences, each followed by its marker as a button that opens its source.
  // Made from the answer's citations, never by scanning its text: a "[3]" an article's
  // sentence holds stays text.
  function quoteParagraph(answer, citations) {
    const p = el("p", { class: "quote" });
    citations.forEach((citation, i) => {
      p.append(document.createTextNode(`${i ? " " : ""}${citation.quote} `));
      p.append(el("button", {
        type: "button", class: "marker", text: `[${citation.marker}]`,
        "aria-label": `Source ${citation.marker}: ${citation.section_title}`,
        onclick: (event) => openSource(citation.section_id, answer, event.currentTarget, citation),
      }));
    });
    return p;
  }

  // The quoted sentences grouped by the question of a message they answer, each group
  // after that question (chat.render.answered_parts); one group for a single question.
  function answeredParts(answer) {
    const parts = answer.parts || [];
    if (parts.length < 2) return [[null, answer.citations]];
    const groups = new Map();
    for (const c of answer.citations) {
      const part = c.part || 0;
      if (!groups.has(part)) groups.set(part, []);
      groups.get(part).push(c);
    }
    const heading = (part) => part && (`\u201c${part.question}\u201d`
      + (part.coverage === "covered" ? "" : ` \u2014 ${OUTCOME[part.coverage]}`));
    return [...groups.keys()].sort((a, b) => a - b).map((n) => [heading(parts[n]) || null, groups.get(n)]);
  }

  function answerBlock(answer) {
    // A reply (small talk, "That is all the article says on this.") is no refusal: no
    // badge, no red (chat.render.is_reply).
    const reply = (answer.suggestions && answer.suggestions.length)
      || (answer.coverage === "none" && !(answer.topics && answer.topics.length) && !(answer.missing && answer.missing.length));
    const kind = reply ? "chat" : answer.coverage;
    const block = el("article", { class: `answer outcome-${kind}` });
    const head = el("p", { class: "outcome" });
    if (kind !== "chat") head.append(el("span", { class: "badge", text: OUTCOME[answer.coverage] }));
    if (headline(answer)) head.append(el("span", { class: "headline", text: headline(answer) }));
    block.append(head);
    if (answer.suggestions && answer.suggestions.length) {
      block.append(questionList(answer.suggestions));
      return block;
    }
    if (answer.citations.length) {
      for (const [question, cited] of answeredParts(answer)) {
        if (question) block.append(el("p", { class: "part", text: question }));
        block.append(quoteParagraph(answer, cited));
      }
      const list = el("ol", { class: "sources", "aria-label": "Sources" });
      for (const c of answer.citations) {
        const label = c.factor !== null && c.factor !== undefined ? `Factor ${c.factor} · ${c.section_title}` : c.section_title;
        // A web article's sentence is linked where it stands on its page (its line is one
        // of the kept copy's, no place on the page); a file's is named by file and line.
        const link = webAddress(c.url || "");
        const where = c.source ? `${c.source}:${c.line}` : `line ${c.line}`;
        const button = el("button", {
          type: "button", class: "source-link",
          onclick: (event) => openSource(c.section_id, answer, event.currentTarget, c),
        }, el("span", { class: "n", text: `[${c.marker}]` }), ` ${label} `, link ? null : el("span", { class: "line", text: `— ${where}` }));
        const item = el("li", {}, button);
        if (link) item.append(" ", el("a", { class: "on-page", href: link, target: "_blank", rel: "noopener noreferrer", text: "on the page" }));
        list.append(item);
      }
      block.append(el("h3", { class: "sources-heading", text: "Sources" }), list);
    } else if (answer.topics && answer.topics.length) {
      const many = answer.topics.length > MOST_LISTED;
      // The nearest by the ranking; the first few if nothing came near or the list of
      // topics has not arrived yet (never all of a folder's thousands).
      const near = (answer.ranking || []).slice(0, 3).filter((r) => r.score > 0)
        .map((r) => state.labels.get(r.section_id)).filter(Boolean);
      const shown = many ? (near.length ? near : answer.topics.slice(0, 3)) : answer.topics;
      const intro = many ? `It covers ${answer.topics.length} topics (the list of topics has them all), among them:` : "It covers:";
      block.append(el("p", { class: "covers", text: intro }));
      const list = el("ul", { class: "covered-topics" });
      for (const topic of shown) list.append(el("li", { text: topic }));
      block.append(list);
    }
    return block;
  }

  function questionList(questions) {
    const list = el("ul", { class: "suggestions" });
    for (const q of questions) {
      list.append(el("li", {}, el("button", { type: "button", class: "suggestion", text: q, onclick: () => ask(q) })));
    }
    return list;
  }

  function turnItem(question) {
    return el("li", { class: "turn" }, el("p", { class: "you" }, el("span", { class: "who", text: "You: " }), shortened(question)));
  }

  // The conversation is kept in this tab's sessionStorage, so a reload (or the back button)
  // shows it again and goes on with it. Kept per server and articles: another article served
  // at the same address starts afresh. Storage refused (private modes, full) only means a
  // reload forgets, as before.
  function storageKey() {
    return `career-chat:${state.articlesKey}`;
  }

  function remember(question, answer) {
    state.turns.push({ question, answer });
    state.turns = state.turns.slice(-KEPT_TURNS);
    if (!state.articlesKey) return;  // the topics (and their version) not in yet: nothing kept
    // Storage full (a folder's refusals list thousands of topics): the oldest turns go
    // until the rest fits; none fitting, nothing is kept rather than an older copy.
    for (let from = 0; from < state.turns.length; from += Math.max(1, Math.floor((state.turns.length - from) / 2))) {
      try {
        sessionStorage.setItem(storageKey(), JSON.stringify({ conversation: state.conversation, turns: state.turns.slice(from) }));
        return;
      } catch (error) {
        // too large, or storage refused: try with fewer turns
      }
    }
    forget();
  }

  function forget() {
    try {
      sessionStorage.removeItem(storageKey());
    } catch (error) {
      // nothing was kept
    }
  }

  // Only what this page wrote is shown again: a conversation id as the API takes one, and
  // turns of a question (a string) and an answer with its list of citations; anything else
  // is dropped. Kept under the articles' text version: an edited article shows none.
  // A question asked before the topics came has started a conversation of its own: kept.
  function restore() {
    if (state.turns.length || state.conversation) return;
    let kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(storageKey()) || "null");
    } catch (error) {
      return;
    }
    if (!kept || typeof kept.conversation !== "string" || !CONVERSATION_ID.test(kept.conversation) || !Array.isArray(kept.turns)) return;
    const turns = kept.turns.filter((t) => t && typeof t.question === "string" && t.answer
      && typeof t.answer === "object" && Array.isArray(t.answer.citations));
    for (const { question, answer } of turns) {
      try {
        const turn = turnItem(question);
        turn.append(answerBlock(answer));
        $("log").append(turn);
        state.turns.push({ question, answer });
      } catch (error) {
        // a turn this version cannot show: left out
      }
    }
    if (state.turns.length) state.conversation = kept.conversation;
  }

  async function ask(question) {
    question = question.trim();
    if (!question || state.busy) return;
    const round = state.round;
    state.busy = true;
    $("send").disabled = true;
    say(`Looking in ${state.where}…`);
    const turn = turnItem(question);
    $("log").append(turn);
    try {
      const answer = await getJSON("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question, conversation_id: state.conversation }),
        timeLimit: ASK_TIME_LIMIT_MS,
      });
      if (round !== state.round) return;  // a new conversation was started while it was on its way
      state.conversation = answer.conversation_id;
      if (answer.conversation_lost) {
        turn.append(el("p", { class: "note", text: "The server no longer had the earlier questions (it may have restarted), so this one was read on its own." }));
      }
      // Counted as the server counts (characters, not UTF-16 units), and said only when the
      // question it read is not the message as typed.
      const read = typeof answer.question === "string" ? answer.question : question;
      if (Array.from(question).length > MAX_QUESTION_CHARS && read !== question) {
        const length = Array.from(question).length.toLocaleString("en");
        turn.append(el("p", { class: "note", text: `Your message was ${length} characters long: only its last sentences were read as the question: \u201c${shortened(read)}\u201d` }));
      }
      turn.append(answerBlock(answer));
      remember(question, answer);
      say("");
    } catch (error) {
      if (round !== state.round) return;
      turn.append(el("p", { class: "error", role: "alert", text: `Could not ask: ${error.message}` }));
      say("");
      // Unsent, not refused: put back to send again, not to type again.
      if (error.unanswered && !$("question").value) $("question").value = question;
    } finally {
      if (round === state.round) {
        state.busy = false;
        $("send").disabled = false;
        turn.scrollIntoView({ block: "nearest", behavior: motion() });
      }
    }
  }

  // Forgets the conversation, a question still on its way included: its reply, when it
  // comes, is not shown and does not continue the conversation; the box takes a new one now.
  function restart() {
    state.round += 1;
    state.conversation = null;
    state.turns = [];
    forget();
    state.busy = false;
    $("send").disabled = false;
    say("");
    $("log").replaceChildren();
    // The passage open beside it highlights the forgotten answer's sentences: closed too.
    $("source").hidden = true;
    $("source-sentences").replaceChildren();
    state.marks = [];
    state.opener = null;
    $("question").focus();
  }

  function motion() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  }

  // `citation`, when a marker or source opened it: the sentence it quotes stands out among
  // the others of the answer the passage holds, and is scrolled to.
  async function openSource(sectionId, answer, opener, citation) {
    const round = state.round;
    const panel = $("source");
    let section;
    try {
      section = await getJSON(`/api/sections/${sectionId.split("/").map(encodeURIComponent).join("/")}`);
    } catch (error) {
      if (answer && round !== state.round) return;
      say(`Could not open the passage: ${error.message}`, "passage");
      return;
    }
    // A passage of an answer forgotten (a new conversation) while it was on its way stays shut.
    if (answer && round !== state.round) return;
    state.opener = opener || null;
    if ($("status").dataset.about === "passage") say("");  // an earlier try's error is stale now
    // A sentence is marked when a citation quotes it whole, or is the value of its line's
    // "key: value" (a frontmatter description, quoted without its key).
    const cited = (answer ? answer.citations : []).filter((c) => c.section_id === sectionId);
    const valueOf = (text) => text.replace(/^[\w-]+:\s*/, "").replace(/^(["'])(.*)\1$/, "$2").trim();
    const quotes = (c, s) => c.quote === s.text || (c.line === s.line && valueOf(s.text) === c.quote);
    $("source-title").textContent = section.label;
    const page = webAddress(section.file || "");  // a web article: its kept copy's lines are no place on the page
    $("source-where").textContent = page ? page : section.file ? `${section.file}, from line ${section.line}` : `from line ${section.line}`;
    const list = $("source-sentences");
    list.replaceChildren();
    let first = null;
    let current = null;
    for (const s of section.sentences) {
      const item = el("li", { "data-line": String(s.line) });
      const quoting = cited.find((c) => quotes(c, s));
      if (quoting) {
        const opened = !current && citation && citation.section_id === sectionId && quotes(citation, s);
        const mark = el("mark", { text: s.text, "data-source": String(opened ? citation.marker : quoting.marker) });
        item.append(mark, el("span", { class: "visually-hidden" }));
        markCurrent(mark, opened);
        first = first || item;
        if (opened) current = item;
      } else {
        item.textContent = s.text;
      }
      list.append(item);
    }
    state.marks = [...list.querySelectorAll("mark")];
    state.at = Math.max(0, state.marks.findIndex((m) => m.classList.contains("current")));
    $("quote-nav").hidden = state.marks.length < 2;
    $("quote-count").textContent = state.marks.length > 1 ? `Quote ${state.at + 1} of ${state.marks.length}` : "";
    panel.hidden = false;
    $("source-title").focus();
    (current || first || panel).scrollIntoView({ block: "center", behavior: motion() });
  }

  // A quoted sentence as the one shown now (outlined), or not: what a screen reader hears
  // after it follows, the source's number said of the current one alone.
  function markCurrent(mark, current) {
    mark.classList.toggle("current", Boolean(current));
    mark.nextElementSibling.textContent = current ? ` (quoted, source ${mark.dataset.source})` : " (quoted)";
  }

  // The next (step 1) or previous (-1) quoted sentence of the open passage, round again
  // after the last: outlined as the one shown now, and scrolled to.
  function stepQuote(step) {
    const marks = state.marks;
    if (marks.length < 2) return;
    markCurrent(marks[state.at], false);
    state.at = (state.at + step + marks.length) % marks.length;
    markCurrent(marks[state.at], true);
    $("quote-count").textContent = `Quote ${state.at + 1} of ${marks.length}`;
    marks[state.at].scrollIntoView({ block: "center", behavior: motion() });
  }

  function closeSource() {
    // Focus goes back to what opened the passage only from inside it (or from nowhere):
    // Escape typed in the question box closes the passage and leaves the typing there.
    const active = document.activeElement;
    const fromPanel = !active || active === document.body || $("source").contains(active);
    $("source").hidden = true;
    if (!fromPanel) return;
    if (state.opener && document.contains(state.opener)) state.opener.focus();
    else $("question").focus();
  }

  async function start() {
    $("ask").addEventListener("submit", (event) => {
      event.preventDefault();
      const box = $("question");
      const question = box.value;
      box.value = "";
      ask(question);
    });
    $("restart").addEventListener("click", restart);
    $("close-source").addEventListener("click", closeSource);
    $("next-quote").addEventListener("click", () => stepQuote(1));
    $("previous-quote").addEventListener("click", () => stepQuote(-1));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !$("source").hidden) closeSource();
    });
    try {
      const topics = await getJSON("/api/topics");
      $("title").textContent = topics.title;
      if (topics.articles.length > 1) {
        state.where = "the articles";
        $("kicker").textContent = "Ask the articles";
        $("topics-heading").textContent = "What the articles cover";
        $("promise").textContent = "Every answer is quoted from one of the articles, with numbered sources. Nothing is made up.";
      }
      document.title = `${topics.title} — career-chat`;
      const url = topics.articles.length === 1 ? webAddress(topics.articles[0].url || "") : null;
      if (url) {
        $("original").href = url;
        $("original").hidden = false;
      }
      $("examples").replaceChildren(...questionList(topics.examples).children);
      state.articlesKey = `${location.pathname}|${topics.version}`;
      const list = $("topics");
      // In a folder, "Pay" is in most articles: each article's topics are listed under its
      // title (its opening's topic, in bold), as the app lists them, and a refusal names a
      // topic with its article's title.
      const titles = new Map(topics.articles.length > 1 ? topics.articles.map((a) => [a.slug, a.title]) : []);
      let group = list;
      let article = null;
      for (const s of topics.sections) {
        const title = titles.get(s.article);
        state.labels.set(s.id, title && title !== s.title ? `${s.label} (${title})` : s.label);
        const button = el("button", {
          type: "button", class: "topic", text: s.label,
          onclick: (event) => openSource(s.id, null, event.currentTarget),
        });
        if (title !== undefined && s.article !== article) {
          article = s.article;
          const head = s.title === title ? button : el("p", { text: title });
          head.classList.add("article-title");
          group = el("ul", { class: "article-topics", "aria-label": title });
          list.append(el("li", { class: "article" }, head, group));
          if (head === button) continue;
        }
        group.append(el("li", {}, button));
      }
      restore();
    } catch (error) {
      say(`Could not load the topics: ${error.message}`, "topics");
    }
    document.body.dataset.ready = "true";
    $("question").focus();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
