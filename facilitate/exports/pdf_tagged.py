"""Finish one tagged part of the PDF, in the process that laid it out.

WeasyPrint tags the content it lays out (PDF/UA-1), with three gaps that this module closes:

- The footers (margin boxes) are marked content that no structure element owns. They are page
  furniture, so they become ``/Artifact`` (pagination, footer) and leave the parent tree.
- A link's ``/Contents``, its description for assistive technology, is its bare target (an anchor
  name or an address). It becomes what the link says and where it goes.
- Header cells carry no ``/Scope``, and their ids are numbered per part: each gets its scope, and
  its id the part's prefix, so that ids stay unique once the parts are joined.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, String

FOOTER = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"

#: What a link is described as, in English; the app hands the words of the report's language in
#: (``pdf.link_words``), since this module runs in workers that know nothing of the app.
LINK_WORDS = {
    "opens": "%(text)s (opens %(target)s)",
    "open": "Opens %(target)s",
    "cited": "Cited note %(number)s, listed below the write-up",
    "elsewhere": "%(text)s, elsewhere in this report",
    "somewhere": "A place elsewhere in this report",
}


def finish_part(
    data: bytes, document, prefix: str | None = None, words: dict | None = None
) -> bytes:
    """The part's PDF with its footers as artifacts and its links described (in ``words``, or
    English); with ``prefix`` (the part has tables), its header cells scoped and their ids made
    unique."""
    words = {**LINK_WORDS, **(words or {})}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        top = root.K[0]
        owned = {kid.objgen for kid in top.K}
        nums = root.ParentTree.Nums
        for index, page in enumerate(pdf.pages):
            _footers_as_artifacts(page, nums[2 * index + 1], top, owned)
            _describe_links(page, document.pages[index].links, words)
        if prefix:
            identified = _table_headers(top, prefix)
            if identified:
                root.IDTree = pdf.make_indirect(Dictionary(Names=identified))
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


def _owned(element, top, owned: set) -> bool:
    """Whether ``element`` hangs in the structure tree (margin boxes' elements do not)."""
    while element is not None and element.get("/P") is not None:
        parent = element.P
        if parent.objgen == top.objgen:
            return element.objgen in owned
        element = parent
    return False


def _footers_as_artifacts(page, marks: Array, top, owned: set) -> None:
    loose = [mcid for mcid, element in enumerate(marks) if not _owned(element, top, owned)]
    if not loose:
        return
    content = page.obj.Contents
    data = content.read_bytes()
    for mcid in loose:
        data = re.sub(rb"/\w+\s*<<\s*/MCID %d\s*>>\s*BDC" % mcid, FOOTER, data, count=1)
        marks[mcid] = None
    content.write(data)


def _text(box) -> str:
    if hasattr(box, "text"):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def _describe_links(page, links, words: dict) -> None:
    """Give each link annotation of ``page`` a description: its text, and where it leads."""
    described = [
        (target, " ".join(_text(box).split()), kind)
        for kind, target, _rect, box in links
        if kind in ("internal", "external")
    ]
    for annotation in page.obj.get("/Annots", Array()):
        if annotation.get("/Subtype") != Name.Link:
            continue
        target = str(annotation.get("/Dest") or annotation.A.URI)
        while described and described[0][0] != target:
            described.pop(0)
        text, kind = (described.pop(0)[1:]) if described else ("", "internal")
        annotation.Contents = String(_description(text, target, kind, words))


def _description(text: str, target: str, kind: str, words: dict = LINK_WORDS) -> str:
    values = {"text": text, "target": target, "number": text.strip("[]")}
    if kind == "external":
        return words["opens" if text and text != target else "open"] % values
    if "-cited-" in target:
        return words["cited"] % values
    return words["elsewhere"] % values if text else words["somewhere"] % values


def _table_headers(top, prefix: str) -> Array:
    """Give every header cell its ``/Scope`` (a row's header where its row has data cells, else a
    column's), and prefix its ``/ID`` and the ``/Headers`` that point at it. The ids and their
    elements, sorted, as an ``/IDTree``'s ``/Names``."""
    identified: dict[str, object] = {}
    stack = [top]
    while stack:
        element = stack.pop()
        attributes = element.get("/A")
        if element.get("/S") == Name.TH and isinstance(attributes, Dictionary):
            row = element.get("/P")
            cells = [kid.get("/S") for kid in row.K if isinstance(kid, Dictionary)]
            attributes.Scope = Name.Row if Name.TD in cells else Name.Column
        if "/ID" in element:
            element.ID = String(prefix + str(element.ID))
            identified[str(element.ID)] = element
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array([String(prefix + str(h)) for h in attributes.Headers])
        stack.extend(kid for kid in element.get("/K", ()) if isinstance(kid, Dictionary))
    return Array([item for name in sorted(identified) for item in (String(name), identified[name])])
