// daybook's search, run in the reader's browser: on the search page it loads the index of the
// year asked for (search/YEAR.js, the year's words with the days holding them, written by
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

  // The days holding every query word, best first. A query word finds every word it
  // begins ("walk" finds "walked", in place of a stemmer, which would be one language's);
  // a day scores, summed over the query words, the square root of how often it has them
  // times how rare they are in the year (tf-idf as lunr and elasticlunr weigh it).
  function matches(shard) {
    const count = Object.keys(shard.days).length;
    const words = Object.keys(shard.words);
    let scores = null;
    for (const asked of query) {
      const found = new Map();
      for (const word of words) {
        if (word.startsWith(asked)) {
          for (const [day, times] of Object.entries(shard.words[word])) {
            found.set(day, (found.get(day) || 0) + times);
          }
        }
      }
      const idf = 1 + Math.log(count / (found.size + 1));
      const next = new Map();
      for (const [day, times] of found) {
        if (scores === null || scores.has(day)) {
          next.set(day, (scores === null ? 0 : scores.get(day)) + Math.sqrt(times) * idf);
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
