"""Join the tagged parts of the PDF into one document with one structure tree.

Each part comes with its own structure tree, parent tree, bookmarks and named destinations,
numbered from zero. Joined, the parts' top elements hang under one ``/Document`` element, each
page's ``/StructParents`` and each annotation's ``/StructParent`` move up by the keys the parts
before it used, and the bookmarks and destinations are chained and merged in the parts' order.
"""

from __future__ import annotations

import io
import warnings

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def join_parts(documents: list[bytes]) -> pikepdf.Pdf:
    """One PDF of all ``documents``, in order: pages, structure, bookmarks and destinations."""
    pdf = pikepdf.new()
    top = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([top])))
    top.P = tree
    nums, destinations, outlines, identified = Array(), [], [], Array()
    offset = 0
    for data in documents:
        with pikepdf.open(io.BytesIO(data)) as part:
            first = len(pdf.pages)
            with warnings.catch_warnings():
                # pikepdf warns that named destinations stay behind: they are merged below.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                pdf.pages.extend(part.pages)
            tree_of_part = pdf.copy_foreign(part.make_indirect(part.Root.StructTreeRoot))
            offset = _graft(pdf.pages[first:], tree_of_part, top, nums, offset)
            if "/IDTree" in tree_of_part:
                identified.extend(tree_of_part.IDTree.Names)
            destinations += _destinations(pdf, part)
            if "/Outlines" in part.Root and "/First" in part.Root.Outlines:
                outlines.append(pdf.copy_foreign(part.make_indirect(part.Root.Outlines)))
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = offset
    if identified:
        # Each part's ids carry its prefix, "p1-", "p2-"...: in the parts' order they may not sort.
        pairs = sorted(zip(identified[::2], identified[1::2], strict=True), key=lambda p: str(p[0]))
        tree.IDTree = pdf.make_indirect(
            Dictionary(Names=Array([x for pair in pairs for x in pair]))
        )
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    _chain_outlines(pdf, outlines)
    _merge_destinations(pdf, destinations)
    return pdf


def _graft(pages, part_tree, top, nums: Array, offset: int) -> int:
    """Hang the part's elements under ``top`` and append its parent tree, keys moved up by
    ``offset``; the next free key."""
    for kid in part_tree.K[0].K:
        kid.P = top
        top.K.append(kid)
    for page in pages:
        page.StructParents = int(page.StructParents) + offset
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    part_nums = part_tree.ParentTree.Nums
    highest = offset - 1
    for index in range(0, len(part_nums), 2):
        key = int(part_nums[index]) + offset
        nums.append(key)
        nums.append(part_nums[index + 1])
        highest = max(highest, key)
    return highest + 1


def _destinations(pdf: pikepdf.Pdf, part: pikepdf.Pdf) -> list[tuple[str, object]]:
    names = part.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return []
    flat = pdf.copy_foreign(part.make_indirect(dests)).get("/Names", Array())
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _merge_destinations(pdf: pikepdf.Pdf, destinations: list) -> None:
    """One sorted name tree of every part's anchors (the first of a repeated name wins)."""
    if not destinations:
        return
    merged: dict[str, object] = {}
    for name, target in destinations:
        merged.setdefault(name, target)
    flat = Array()
    for name in sorted(merged):
        flat.append(String(name))
        flat.append(merged[name])
    pdf.Root.Names = Dictionary(Dests=pdf.make_indirect(Dictionary(Names=flat)))


def _chain_outlines(pdf: pikepdf.Pdf, outlines: list) -> None:
    """The parts' top-level bookmarks, one chain under one outline root."""
    if not outlines:
        return
    root = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    previous, count = None, 0
    for part in outlines:
        item = part.First
        while item is not None:
            item.Parent = root
            if previous is None:
                root.First = item
                if "/Prev" in item:
                    del item.Prev
            else:
                previous.Next, item.Prev = item, previous
            previous = item
            item = item.get("/Next")
        count += abs(int(part.get("/Count", 0)))
    if "/Next" in previous:
        del previous.Next
    root.Last, root.Count = previous, count
    pdf.Root.Outlines = root
