"""Hostile text that people may type into a note, a name or a heading. Every export and every page
must show it exactly as typed, and nothing in it may run, link or add an element."""

from __future__ import annotations

#: Script, markup, links and spreadsheet formulas: sent through all six export formats.
HOSTILE = [
    "<script>alert('pwned')</script>",
    '<img src="http://evil.example/x.png" onerror="alert(1)">',
    "[click me](javascript:alert(1)) and ![pic](http://evil.example/i.png)",
    "Visit http://evil.example/phish or www.evil.example now",
    "# Not a heading **not bold** _not italic_ `not code`",
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\uff1d1+1 full-width formula",
    "&lt;b&gt;entity&lt;/b&gt; & friends | a | table",
]

#: A word with no place to break, as a phone's keyboard lets anyone type.
LONG_WORD = "Antidisestablishmentarianism" * 10
LONG_URL = "https://" + "very-long-subdomain-" * 8 + "example.org/" + "path/" * 12

#: More for pages: event handlers, SVG, CSS, templates, Unicode tricks and very long words. Every
#: element a payload would add carries the class ``pwned``, and every script sets ``window.pwned``.
PAGE_HOSTILE = [
    *HOSTILE,
    '"><img src=x onerror="window.pwned=1" class=pwned>',
    "'><script>window.pwned=1</script>",
    '<svg class=pwned onload="window.pwned=1"><circle r="40"/></svg>',
    "<svg><script>window.pwned=1</script></svg>",
    '<a class=pwned href="javascript:window.pwned=1">click</a>',
    "javascript:alert(document.domain)",
    "<iframe class=pwned src=javascript:alert(1)></iframe>",
    '<math class=pwned><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<style>body{display:none}</style><b class=pwned>styled</b>",
    '<div class=pwned style="position:fixed;inset:0;background:red">cover</div>',
    "</textarea></p></li><script>window.pwned=1</script>",
    "{{ 7*7 }} {% if true %}jinja{% endif %} ${window.pwned=1} `backtick`",
    "Right-to-left \u202egnp.exe\u202c override, then \u2067isolated\u2069 text",
    "An override left open \u202eat the end",
    "zero\u200bwidth\u200cnon\u200djoiner\u2060word joiner",
    "Combining z\u0351\u0352\u0357\u0358\u035b\u035c\u035d\u035e\u035f\u0360\u0361algo",
    LONG_WORD,
    LONG_URL,
    "\U0001f642" * 60 + " emoji",
    "Line one\nLine two <b class=pwned>bold</b>\n\n\nafter blank lines",
]

#: Names people may give: markup, an override, and the longest allowed.
HOSTILE_NAMES = [
    "<b class=pwned>Bold</b> Ann",
    "\u202eRob the reverser",
    "N" * 60,
]

#: What a facilitator may type into a write-up: raw HTML and dangerous links, all to be sanitised.
HOSTILE_MARKDOWN = (
    """
## Typed by the facilitator

<script>window.pwned=1</script>

<img src=x onerror="window.pwned=1" class="pwned">

[a script link](javascript:window.pwned=1) and [a data link](data:text/html,<script>alert(1)</script>)

<a href="javascript:window.pwned=1" class="pwned">raw link</a>

<svg class="pwned" onload="window.pwned=1"><circle r="40"/></svg>

<iframe class="pwned" src="javascript:alert(1)"></iframe>

<style>body { display: none }</style>

<div class="pwned" style="position:fixed;inset:0">cover</div>

![a picture](javascript:alert(1))

<details open ontoggle="window.pwned=1"><summary>toggle</summary></details>

A word that never ends: """
    + LONG_WORD
    + "\n"
)
