#!/usr/bin/python3
#
# html5_same_tree.py DIR: for every DIR/NAME.in.html and NAME.out.html (a
# page and its rewrite by the autolink engine), checks with html5lib that
# the two parse to the same tree once every inserted link
# (<a class="glossary-term">) is replaced by its children, that each such
# link holds text only, and that the rewrite has as many of them as its
# bytes have opening tags.  Prints "ok NAME" or "not ok NAME: why" per
# page; "skip why" alone when html5lib is not installed (Debian:
# python3-html5lib).

import glob
import os
import sys

try:
    import html5lib
except ImportError:
    print("skip html5lib is not installed (python3-html5lib)")
    sys.exit(0)


def parse(data):
    return html5lib.parse(data, treebuilder="dom",
                          namespaceHTMLElements=False)


def is_link(node):
    return (node.nodeType == node.ELEMENT_NODE and node.tagName == "a"
            and node.getAttribute("class") == "glossary-term")


def unwrap(doc):
    """Replaces each inserted link by its children; returns how many there
    were and the first one that held anything but text."""
    links = [n for n in doc.getElementsByTagName("a") if is_link(n)]
    bad = None

    for a in links:
        for c in a.childNodes:
            if c.nodeType != c.TEXT_NODE and bad is None:
                bad = a.toxml()

        parent = a.parentNode

        while a.firstChild is not None:
            parent.insertBefore(a.firstChild, a)

        parent.removeChild(a)

    doc.normalize()
    return len(links), bad


def canonical(node, out, depth=0):
    """The tree as lines: element names with sorted attributes, text."""
    for c in node.childNodes:
        if c.nodeType == c.ELEMENT_NODE:
            attrs = sorted((k, v) for k, v in c.attributes.items())
            out.append("  " * depth + "<%s %r>" % (c.tagName, attrs))
            canonical(c, out, depth + 1)
        elif c.nodeType == c.TEXT_NODE:
            out.append("  " * depth + repr(c.data))
        elif c.nodeType == c.COMMENT_NODE:
            out.append("  " * depth + "<!-- %r -->" % c.data)
        else:
            out.append("  " * depth + "node %d" % c.nodeType)
    return out


def main():
    pages = sorted(glob.glob(os.path.join(sys.argv[1], "*.in.html")))

    for path in pages:
        name = os.path.basename(path)[:-len(".in.html")]

        with open(path, "rb") as f:
            original = f.read()

        with open(path[:-len(".in.html")] + ".out.html", "rb") as f:
            rewritten = f.read()

        a = parse(original)
        b = parse(rewritten)
        a.normalize()
        inserted = rewritten.count(b'class="glossary-term"') \
            - original.count(b'class="glossary-term"')
        n, bad = unwrap(b)
        ta = canonical(a, [])
        tb = canonical(b, [])

        if bad is not None:
            print("not ok %s: a link holds more than text: %s" % (name, bad))
        elif n != inserted:
            print("not ok %s: %d links inserted, %d in the tree"
                  % (name, inserted, n))
        elif ta != tb:
            for i, (x, y) in enumerate(zip(ta + [""] * len(tb),
                                           tb + [""] * len(ta))):
                if x != y:
                    print("not ok %s: trees differ at line %d: %s | %s"
                          % (name, i, x, y))
                    break
        else:
            print("ok %s (%d links)" % (name, n))


main()
