// daybook's search, run in the reader's browser: on the search page it loads the index of the
// year asked for (search/YEAR.js, elasticlunr's tree of the year's words, written compact by
// `daybook build` from the days: src/edition/html/search.rs) and lists the days holding
// every word asked for; on a day page reached from a result (`?q=...`) it marks those words.
// No server, no network.
"use strict";

(function () {
  // Words as the index cuts them: runs of letters and digits, lower-cased.
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  const words = (text) => text.toLowerCase().match(WORD) || [];
  const params = new URLSearchParams(window.location.search);
  const query = words(params.get("q") || "");

  // The days (by number in the year) under a node of the tree (a character per level), with the term
  // frequencies of the node's word and of every longer word it begins: "walk" finds
  // "walked" too, in place of a stemmer, which would be one language's.
  function collect(node, found) {
    for (const [day, tf] of Object.entries(node.docs || {})) {
      found.set(day, (found.get(day) || 0) + tf);
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== "docs") {
        collect(child, found);
      }
    }
    return found;
  }

  // The days holding every query word, best first: elasticlunr's tf-idf, summed over words.
  function matches(shard) {
    const root = shard.words;
    const count = Object.keys(shard.days).length;
    let scores = null;
    for (const word of query) {
      let node = root;
      for (const c of word) {
        node = node && Object.prototype.hasOwnProperty.call(node, c) ? node[c] : null;
      }
      const found = node ? collect(node, new Map()) : new Map();
      const idf = 1 + Math.log(count / (found.size + 1));
      const next = new Map();
      for (const [day, tf] of found) {
        if (scores === null || scores.has(day)) {
          next.set(day, (scores === null ? 0 : scores.get(day)) + tf * idf);
        }
      }
      scores = next;
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  function show(shard, year, status, list) {
    const found = matches(shard);
    const asked = query.join(" ");
    status.textContent = found.length === 0
      ? "No day of " + year + " holds \u201C" + asked + "\u201D."
      : (found.length === 1 ? "1 day" : found.length + " days") + " of " + year +
        " hold \u201C" + asked + "\u201D.";
    for (const [number] of found) {
      const [day, title] = shard.days[number];
      const link = document.createElement("a");
      link.href = year + "/" + day + ".html?q=" + encodeURIComponent(asked) + "#day-" + day;
      link.textContent = title;
      const item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    }
  }

  function search(form) {
    const status = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    const select = form.elements.year;
    form.elements.q.value = params.get("q") || "";
    const asked = params.get("year");
    // Only a year the page offers is loaded: the address is never taken from the query.
    const offered = [...select.options].find((option) => option.value === asked);
    if (offered) {
      select.value = offered.value;
    }
    if (query.length === 0) {
      status.textContent = "Type words to find the days of a year that hold them all.";
      return;
    }
    const year = select.value;
    status.textContent = "Searching " + year + "\u2026";
    window.daybookShard = (shard) => show(shard, year, status, list);
    const script = document.createElement("script");
    script.src = "search/" + year + ".js";
    script.onerror = () => {
      status.textContent = "The index of " + year + " could not be loaded.";
    };
    document.head.appendChild(script);
  }

  // Wraps each word of the day that a query word begins in <mark>, and shows the first.
  function mark(article) {
    if (query.length === 0) {
      return;
    }
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) {
      texts.push(walker.currentNode);
    }
    let first = null;
    for (const node of texts) {
      const text = node.nodeValue;
      const parts = [];
      let done = 0;
      for (const found of text.matchAll(WORD)) {
        const word = found[0].toLowerCase();
        if (query.some((asked) => word.startsWith(asked))) {
          const hit = document.createElement("mark");
          hit.textContent = found[0];
          parts.push(text.slice(done, found.index), hit);
          done = found.index + found[0].length;
          first = first || hit;
        }
      }
      if (parts.length > 0) {
        parts.push(text.slice(done));
        node.replaceWith(...parts);
      }
    }
    if (first) {
      first.scrollIntoView({ block: "center" });
    }
  }

  const form = document.getElementById("search-form");
  if (form) {
    search(form);
  }
  const article = document.querySelector("article.day");
  if (article) {
    mark(article);
  }
})();
