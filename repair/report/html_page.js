// repair's HTML report (repair/report/html.py): builds the page from the JSON blocks, a file's view only when it
// is opened. Every piece of a file reaches the page as a text node (never as markup).
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("repair-data").textContent);
  const SEVERITIES = ["error", "warning", "info"];
  const SAFETIES = ["safe", "unsafe", "display-only", "none"];
  const SAFETY_LABEL = { "safe": "safe fix", "unsafe": "unsafe fix", "display-only": "suggestion only", "none": "no fix" };
  const fileViews = new Map(); // file index -> its parsed data, once opened

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") node.style.cssText = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function plural(count, word) { return count + " " + word + (count === 1 ? "" : "s"); }

  // --- summary ----------------------------------------------------------------------------------------------------
  function barChart(title, rows, max) {
    const card = el("section", { class: "card" }, el("h2", {}, title));
    if (!rows.length) card.append(el("p", { class: "muted" }, "none"));
    for (const row of rows) {
      const width = max ? Math.max(1, Math.round(100 * row.count / max)) : 0;
      card.append(el("div", { class: "bar-row" + (row.cls ? " " + row.cls : "") },
        el("span", { class: "bar-label", title: row.label }, row.link || row.label),
        el("span", {}, el("span", { class: "bar", style: "display:block;width:" + width + "%" })),
        el("span", { class: "bar-count" }, row.count)));
    }
    return card;
  }

  function summary() {
    const s = DATA.summary;
    const verb = { check: "Checked", diff: "Would fix", fix: "Fixed" }[DATA.command] || DATA.command;
    let line = plural(s.findings, "finding") + " in " + plural(s.files, "file");
    if (DATA.command === "check") line += "; " + s.fixable + " with a safe fix (repair fix)";
    else line = plural(s.edits, "edit") + " in " + plural(s.changed_files, "file") + "; " + s.findings + " remaining";
    if (s.errors) line += "; " + plural(s.errors, "file") + " could not be read";
    const head = el("header", {}, el("h1", {}, "repair report"),
      el("div", { class: "muted" }, verb + ": " + line + " · repair " + DATA.tool.version + " · LanguageTool " + (DATA.summary.languagetool.status || "off")));
    for (const notice of DATA.notices) head.append(el("div", { class: "notice" }, "note: " + notice));
    const categories = Object.keys(DATA.categories).filter((c) => DATA.by_category[c])
      .sort((a, b) => DATA.by_category[b] - DATA.by_category[a] || (a < b ? -1 : 1));
    const catMax = Math.max(0, ...categories.map((c) => DATA.by_category[c]));
    const catRows = categories.map((c) => ({ label: c, count: DATA.by_category[c], cls: "c-" + c }));
    const fileMax = DATA.per_file.length ? DATA.per_file[0][1] : 0;
    const index = new Map(DATA.files.map((f, i) => [f.path, i]));
    const fileRows = DATA.per_file.map(([path, count]) => ({
      label: path, count: count,
      link: el("a", { href: "#file-view-" + index.get(path), onclick: () => openFile(index.get(path)) }, path),
    }));
    const files = barChart("Findings per file", fileRows, fileMax);
    if (DATA.per_file_rest[0]) files.append(el("p", { class: "muted" }, "and " + plural(DATA.per_file_rest[0], "more file") + " with " + plural(DATA.per_file_rest[1], "finding")));
    return [head, el("div", { class: "charts" }, barChart("Findings per category", catRows, catMax), files)];
  }

  // --- filters ----------------------------------------------------------------------------------------------------
  function chip(prefix, value, label, count) {
    const box = el("input", { type: "checkbox", "data-filter": prefix + "-" + value });
    box.checked = true;
    box.addEventListener("change", () => {
      document.body.classList.toggle("hide-" + prefix + "-" + value, !box.checked);
      updateCounts();
    });
    return el("label", { class: "chip" + (prefix === "c" ? " c-" + value : "") }, box,
      prefix === "c" ? el("span", { class: "swatch" }) : null, label + " (" + count + ")");
  }

  function filters() {
    const bar = el("nav", { class: "filters", "aria-label": "filters" });
    const groups = [
      ["Category", "c", Object.keys(DATA.categories).filter((c) => DATA.by_category[c]), DATA.by_category, (v) => v],
      ["Severity", "s", SEVERITIES.filter((v) => DATA.by_severity[v]), DATA.by_severity, (v) => v],
      ["Fix", "x", SAFETIES.filter((v) => DATA.by_safety[v]), DATA.by_safety, (v) => SAFETY_LABEL[v]],
    ];
    for (const [title, prefix, values, counts, label] of groups) {
      const set = el("fieldset", { id: "filter-" + prefix }, el("legend", {}, title));
      for (const value of values) set.append(chip(prefix, value, label(value), counts[value]));
      bar.append(set);
    }
    bar.append(el("span", { class: "tools" },
      el("button", { type: "button", onclick: () => toggleAll(true) }, "open all"),
      el("button", { type: "button", onclick: () => toggleAll(false) }, "close all")));
    return bar;
  }

  // --- files --------------------------------------------------------------------------------------------------------
  const fileCounts = [];  // [file, the span that says how many findings it has]

  function shown(file) {
    const hidden = document.body.classList;
    return file.kinds.reduce((sum, [c, s, x, n]) =>
      sum + (hidden.contains("hide-c-" + c) || hidden.contains("hide-s-" + s) || hidden.contains("hide-x-" + x) ? 0 : n), 0);
  }

  function countText(file) {
    const visible = shown(file);
    const count = visible === file.count ? plural(file.count, "finding") : visible + " of " + plural(file.count, "finding") + " shown";
    return count + (file.changed ? " · changed" : "");
  }

  function updateCounts() {
    for (const [file, span] of fileCounts) span.textContent = countText(file);
  }

  function fileList() {
    const list = el("section", { id: "files" });
    DATA.files.forEach((file, index) => {
      const dots = el("span", { class: "dots" });
      for (const [category, count] of Object.entries(file.categories)) {
        dots.append(el("span", { class: "dot c-" + category, title: category }, count));
      }
      const status = file.error ? el("span", { class: "count error" }, "could not be read")
        : el("span", { class: "count muted" }, countText(file));
      if (!file.error) fileCounts.push([file, status]);
      const details = el("details", { class: "file", id: "file-view-" + index, "data-index": index },
        el("summary", {}, el("span", { class: "path" }, file.path), dots, status));
      details.addEventListener("toggle", () => { if (details.open) renderFile(details, index); });
      list.append(details);
    });
    return list;
  }

  function fileData(index) {
    if (!fileViews.has(index)) {
      const data = JSON.parse(document.getElementById("file-" + index).textContent);
      // a finding comes as a row of DATA.finding_fields; its fix as [title, before, after]
      data.findings = (data.findings || []).map((row) => {
        const finding = Object.fromEntries(DATA.finding_fields.map((name, i) => [name, row[i]]));
        if (finding.fix) finding.fix = { title: finding.fix[0], before: finding.fix[1], after: finding.fix[2] };
        return finding;
      });
      fileViews.set(index, data);
    }
    return fileViews.get(index);
  }

  function classes(finding) {
    return "c-" + finding.category + " s-" + finding.severity + " x-" + finding.safety;
  }

  function renderFile(details, index) {
    if (details.dataset.rendered) return;
    details.dataset.rendered = "1";
    const data = fileData(index);
    const body = el("div", { class: "body" });
    if (data.error) body.append(el("p", { class: "error" }, data.error));
    if (data.findings && data.findings.length) {
      body.append(textView(data, index), findingsTable(data, index));
    } else if (!data.error) {
      body.append(el("p", { class: "muted" }, "No findings."));
    }
    if (data.safe_diff && data.safe_diff.length) {
      const title = { check: "Safe fixes: what repair fix would write", diff: "What repair fix would write",
        fix: "What this run wrote" }[DATA.command];
      // check: the safe fixes only; fix and fix --diff: the run's own edits (unsafe ones too with --unsafe-fixes)
      body.append(diffView(title, data.safe_diff, "safe", DATA.command === "check" ? "safe" : "applied"));
    }
    if (data.unsafe_diff && data.unsafe_diff.length) {
      body.append(diffView("Unsafe fixes: not applied; written only with --unsafe-fixes, review each",
        data.unsafe_diff, "unsafe", "unsafe"));
    }
    details.append(body);
  }

  function textView(data, fileIndex) {
    const pre = el("pre", { class: "text" });
    for (const [text, covering] of data.pieces) {
      let node = document.createTextNode(text);
      // the narrowest finding innermost: its colour shows; a hidden one lets the next one's show through
      for (let i = covering.length - 1; i >= 0; i--) {
        const finding = data.findings[covering[i]];
        const span = el("span", { class: "hl " + classes(finding) + (text ? "" : " empty"), "data-i": covering[i],
          title: finding.code + " " + finding.message });
        span.append(node);
        node = span;
      }
      pre.append(node);
    }
    pre.addEventListener("click", (event) => {
      const span = event.target.closest(".hl");
      if (span) showDetail(fileIndex, Number(span.dataset.i));
    });
    return pre;
  }

  function findingsTable(data, fileIndex) {
    const table = el("table", { class: "findings" },
      el("thead", {}, el("tr", {}, el("th", {}, "line:col"), el("th", {}, "rule"), el("th", {}, "category"),
        el("th", {}, "message"), el("th", {}, "fix"))));
    const rows = el("tbody");
    data.findings.forEach((finding, i) => {
      rows.append(el("tr", { class: "row " + classes(finding), "data-i": i, onclick: () => showDetail(fileIndex, i) },
        el("td", { class: "code" }, finding.line + ":" + finding.column),
        el("td", { class: "code" }, finding.code),
        el("td", {}, el("span", { class: "swatch c-" + finding.category }), " " + finding.category),
        el("td", {}, finding.message),
        el("td", {}, el("span", { class: "badge " + finding.safety }, SAFETY_LABEL[finding.safety]))));
    });
    table.append(rows);
    return table;
  }

  function diffView(title, hunks, kind, label) {
    const pre = el("pre", {});
    for (const hunk of hunks) {
      pre.append(el("span", { class: "hunk" }, hunk.header));
      for (const row of hunk.rows) {
        if (row[0] === " ") pre.append(el("span", { class: "ctx" }, " " + row[1]));
        else pre.append(...changeLines(row[1], row[2], row[3]));
      }
    }
    return el("section", { class: "diff " + kind },
      el("h2", {}, el("span", { class: "badge " + kind }, label), " " + title), pre);
  }

  // A change: its removed lines ("-") then its added lines ("+"), the words that differ marked. `words` holds
  // [same] or [old, new] parts of the removed and the added text, each line ended by a line break.
  function changeLines(removed, added, words) {
    const sides = [["-", "del", removed, 0], ["+", "add", added, 1]];
    const out = [];
    for (const [marker, cls, count, side] of sides) {
      if (!count) continue;
      let line = el("span", { class: cls }, marker);
      const lines = [line];
      for (const part of words) {
        const changed = part.length === 2;
        const text = changed ? part[side] : part[0];
        text.split("\n").forEach((piece, i) => {
          if (i) { line = el("span", { class: cls }, marker); lines.push(line); }
          if (piece) line.append(changed ? el("mark", {}, piece) : document.createTextNode(piece));
        });
      }
      out.push(...lines.slice(0, count)); // the words end with a line break: no line after it
    }
    return out;
  }

  // --- one finding's detail -----------------------------------------------------------------------------------------
  const detail = el("aside", { id: "detail", role: "dialog", "aria-label": "finding" });
  detail.hidden = true;

  function findingText(data, i) {
    return data.pieces.filter(([, covering]) => covering.includes(i)).map(([text]) => text).join("");
  }

  function showDetail(fileIndex, i) {
    const data = fileData(fileIndex);
    const finding = data.findings[i];
    const rule = DATA.rules[finding.code] || {};
    document.querySelectorAll(".hl.selected").forEach((node) => node.classList.remove("selected"));
    document.querySelectorAll('#file-view-' + fileIndex + ' .hl[data-i="' + i + '"]').forEach((node) => node.classList.add("selected"));
    detail.replaceChildren(
      el("button", { type: "button", class: "close", onclick: () => { detail.hidden = true; } }, "close"),
      el("h2", {}, el("span", { class: "swatch c-" + finding.category }), " " + finding.code + " " + (rule.name || "")),
      el("div", { class: "muted" }, data.path + ":" + finding.line + ":" + finding.column + " · " + finding.category +
        " · " + finding.severity),
      el("p", {}, finding.message));
    const list = el("dl", {});
    list.append(el("dt", {}, "Text"), el("dd", {}, el("pre", {}, findingText(data, i))));
    if (finding.fix) {
      list.append(el("dt", {}, "Fix ", el("span", { class: "badge " + finding.safety }, finding.safety)),
        el("dd", {}, finding.fix.title),
        el("dd", { class: "fix-change" }, "before:", el("pre", {}, finding.fix.before),
          "after:", el("pre", {}, finding.fix.after === "" ? "(removed)" : finding.fix.after)));
    } else {
      list.append(el("dt", {}, "Fix"), el("dd", {}, "none: a person decides"));
    }
    if (rule.summary) list.append(el("dt", {}, "What the rule does"), el("dd", {}, rule.summary));
    if (rule.why) list.append(el("dt", {}, "Why"), el("dd", {}, rule.why));
    if (rule.bad) list.append(el("dt", {}, "Example"), el("dd", {}, el("pre", {}, "bad:  " + rule.bad.trim() + "\ngood: " + rule.good.trim())));
    detail.append(list);
    detail.hidden = false;
  }

  function openFile(index) {
    const details = document.getElementById("file-view-" + index);
    if (details) details.open = true;
  }

  function toggleAll(open) {
    document.querySelectorAll("details.file").forEach((details) => { details.open = open; });
  }

  document.addEventListener("keydown", (event) => { if (event.key === "Escape") detail.hidden = true; });
  const app = document.getElementById("app");
  app.append(...summary(), filters(), fileList(), detail);
})();
