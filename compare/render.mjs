#!/usr/bin/env node
// Renders CSL-JSON items with citeproc-js, the reference CSL engine, for compare.py.
//
// Reads one JSON request on stdin:
//
//   {
//     "style_path": "…/apa.csl",          independent style file (a dependent's parent)
//     "locale_dir": "…/locales",          folder of locales-xx-XX.xml files
//     "locale": "en-GB",                  optional: forces the locale, as lutnick's --locale does
//     "items": [ {CSL-JSON item}, … ],
//     "requests": [ {"kind": "entry" | "in_text", "format": "text" | "html"}, … ]
//   }
//
// and writes one JSON answer on stdout:
//
//   {
//     "engine": {"package": "2.4.63", "processor": "1.4.61"},
//     "results": [ {"id": …, "entry": {"text": …, "html": …}, "in_text": {…}, "errors": {…}}, … ]
//   }
//
// Every item is rendered alone, by an engine holding only that item: a one-item
// bibliography and a one-item citation, the first in its document, so each
// result depends on that record only, exactly like lutnick's per-record
// output. A failure is reported under "errors" with the same kind and format
// keys, and the other items are still rendered.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const CSL = require("citeproc");
const PACKAGE_VERSION = require("citeproc/package.json").version;

const KINDS = ["entry", "in_text"];
const FORMATS = ["text", "html"];

function readRequest() {
  const request = JSON.parse(readFileSync(0, "utf8"));
  for (const key of ["style_path", "locale_dir", "items"]) {
    if (!(key in request)) throw new Error(`request lacks ${key}`);
  }
  const requests = request.requests ?? KINDS.flatMap((kind) => FORMATS.map((format) => ({ kind, format })));
  for (const { kind, format } of requests) {
    if (!KINDS.includes(kind) || !FORMATS.includes(format)) {
      throw new Error(`unknown request ${JSON.stringify({ kind, format })}`);
    }
  }
  return { ...request, requests };
}

function makeSys(localeDir, items) {
  const byId = new Map(items.map((item) => [String(item.id), item]));
  const locales = new Map();
  return {
    retrieveItem: (id) => byId.get(String(id)),
    retrieveLocale(lang) {
      if (!locales.has(lang)) {
        const path = join(localeDir, `locales-${lang}.xml`);
        locales.set(lang, existsSync(path) ? readFileSync(path, "utf8") : undefined);
      }
      return locales.get(lang);
    },
  };
}

function newEngine(styleXml, request) {
  const sys = makeSys(request.locale_dir, request.items);
  // Without a locale the style's own default-locale applies (else en-US), which is
  // what citeproc-py does; a given locale overrides the style's, as lutnick's does.
  return request.locale ? new CSL.Engine(sys, styleXml, request.locale, true) : new CSL.Engine(sys, styleXml);
}

// Building an engine costs up to a second (a style's macros are compiled), so
// one engine serves all items, reset to an empty state (no items, no
// citations) before each; a long-lived engine, as in Zotero. A new engine
// renders its very first date range differently from every later one (in
// nature, "2019–(2020))" instead of "(…, 2019–2020)"), so before the first
// item the engine renders, and forgets, a warm-up item with a date range.
// With "fresh_engines": true in the request every item gets a new, warmed-up
// engine instead: slow, and a check that reuse changes nothing.
const WARM_UP = {
  id: "lutnick-compare-warm-up",
  type: "book",
  title: "Warm-up",
  author: [{ family: "Warm-up", given: "A." }],
  publisher: "Warm-up",
  "publisher-place": "Warm-up",
  issued: { "date-parts": [[2000], [2001]] },
};

function warmUp(engine) {
  for (const format of FORMATS) {
    engine.restoreProcessorState([]);
    engine.setOutputFormat(format);
    engine.updateItems([WARM_UP.id]);
    inText(engine, WARM_UP.id);
    engine.makeBibliography();
  }
  return engine;
}

function engineFor(styleXml, request) {
  const items = [WARM_UP, ...request.items];
  let shared;
  return (item, format) => {
    const engine = request.fresh_engines
      ? warmUp(newEngine(styleXml, { ...request, items }))
      : (shared ??= warmUp(newEngine(styleXml, { ...request, items })));
    engine.restoreProcessorState([]);
    engine.setOutputFormat(format);
    engine.updateItems([String(item.id)]);
    return engine;
  };
}

// One bibliography entry. citeproc-js wraps each entry in its own markup and
// whitespace; only the whitespace around the entry is normalised away.
function entry(engine, format, citation) {
  const bibliography = engine.bibliography.tokens.length ? engine.makeBibliography() : false;
  if (!bibliography) {
    // A style without a bibliography: lutnick lists the citation instead.
    return citation();
  }
  const [, entries] = bibliography;
  // A style may leave some types out of its bibliography: no entry is an empty one.
  if (entries.length > 1) throw new Error(`expected one entry, got ${entries.length}`);
  const text = entries.length ? entries[0] : "";
  return format === "html" ? text.trim() : text.replace(/\n$/, "");
}

// The first citation of a document, citing the item alone; a note style's
// citation sits in note 1.
function inText(engine, id) {
  const noteIndex = engine.opt.xclass === "note" ? 1 : 0;
  const citation = { citationItems: [{ id: String(id) }], properties: { noteIndex } };
  const [status, rendered] = engine.processCitationCluster(citation, [], []);
  if (status.citation_errors && status.citation_errors.length) {
    throw new Error(status.citation_errors.map((error) => error.message ?? String(error)).join("; "));
  }
  if (rendered.length !== 1) throw new Error(`expected one citation, got ${rendered.length}`);
  return rendered[0][1];
}

// An engine's failure as a report shows it: what, not where on this machine.
function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function render(request) {
  const styleXml = readFileSync(request.style_path, "utf8");
  const prepare = engineFor(styleXml, request);
  const results = [];
  for (const item of request.items) {
    const result = { id: item.id, entry: {}, in_text: {}, errors: {} };
    for (const format of FORMATS) {
      const wanted = request.requests.filter((wish) => wish.format === format).map((wish) => wish.kind);
      if (!wanted.length) continue;
      let engine;
      try {
        engine = prepare(item, format);
      } catch (error) {
        for (const kind of wanted) (result.errors[kind] ??= {})[format] = describe(error);
        continue;
      }
      // The in-text citation is rendered before the entry (as in a document),
      // and only once per engine, so it is always a first citation.
      let cited;
      const citation = () => (cited ??= inText(engine, item.id));
      for (const kind of [...wanted].sort((a, b) => KINDS.indexOf(b) - KINDS.indexOf(a))) {
        try {
          result[kind][format] = kind === "entry" ? entry(engine, format, citation) : citation();
        } catch (error) {
          (result.errors[kind] ??= {})[format] = describe(error);
        }
      }
    }
    results.push(result);
  }
  return { engine: { package: PACKAGE_VERSION, processor: CSL.PROCESSOR_VERSION }, results };
}

try {
  process.stdout.write(JSON.stringify(render(readRequest())) + "\n");
} catch (error) {
  process.stderr.write(`render.mjs: ${error?.stack ?? error}\n`);
  process.exit(2);
}
