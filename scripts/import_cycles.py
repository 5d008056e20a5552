#!/usr/bin/env python3
"""File-level import circles inside each crate, and source files over a line budget.

A file `a` imports file `b` when `a` names an item through a path that resolves into `b`'s
module (`crate::x::y`, `super::y`, `self::y`, or a child module declared in `a`). A parent's
`pub use child::…` re-export is not an import (it publishes the child, it does not use it).
Prints each circle (a strongly connected group of files) and each oversized file; exits 1 if
there is any.

    python3 scripts/import_cycles.py [--max-lines 1200] [crates]
"""
import os
import re
import sys

MAX_LINES = 1200
# Data or generated files that may be long.
LONG_OK = ()


def module_of(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("lib", "main"):
        rel = rel[:-1]
    elif rel[-1] == "mod":
        rel = rel[:-1]
    return tuple(rel)


def strip_comments(text):
    """Blanks comments, string and char literals, in one left-to-right pass."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "r" and re.match(r'r#*"', text[i:]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            j = text.find('"' + hashes, i + 2 + len(hashes))
            out.append('""')
            i = n if j < 0 else j + 1 + len(hashes)
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""')
            i = j + 1
        elif c == "'" and re.match(r"'(\\.[^']*|[^\\'])'", text[i:]):
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            out.append("' '")
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def cut_tests(text):
    # `#[cfg(test)] mod tests { … }` references its own file only; drop it.
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
    return text[: m.start()] if m else text


def use_paths(tree, prefix=()):
    """Expands a `use` tree such as `crate::{a::B, c::{d, e}}` into paths."""
    out, depth, cur, i = [], 0, "", 0
    tree = tree.strip()
    m = re.match(r"^([\w:]*?)::\{(.*)\}$", tree, re.S)
    if m:
        base = prefix + tuple(p for p in m.group(1).split("::") if p)
        body = m.group(2)
        parts = []
        for ch in body:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        for p in parts:
            if p.strip():
                out += use_paths(p, base)
        return out
    if tree.startswith("{") and tree.endswith("}"):
        return use_paths("x::" + tree, prefix)[0:0] or use_paths(tree[1:-1], prefix)
    name = re.split(r"\s+as\s+", tree)[0].strip()
    return [prefix + tuple(p for p in name.split("::") if p)]


def resolve(mod, path, modules, children):
    """The module file a path lands in, or None if outside the crate."""
    if not path:
        return None
    head = path[0]
    if head == "crate":
        cur, rest = (), path[1:]
    elif head == "super":
        cur, rest = mod, path
        while rest and rest[0] == "super":
            cur, rest = cur[:-1], rest[1:]
    elif head == "self":
        cur, rest = mod, path[1:]
    elif head in children.get(mod, ()):
        cur, rest = mod, path
    else:
        return None
    for seg in rest:
        nxt = cur + (seg,)
        if nxt in modules:
            cur = nxt
        else:
            break
    return cur


def module_depth(mod, path, target):
    """How many segments of `path` the module `target` took up (the rest name an item)."""
    head = path[0]
    if head == "crate":
        return 1 + len(target)
    if head == "super":
        ups = 0
        while ups < len(path) and path[ups] == "super":
            ups += 1
        return ups + len(target) - (len(mod) - ups)
    if head == "self":
        return 1 + len(target) - len(mod)
    return len(target) - len(mod)


def crate_graph(src):
    files = {}
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(root, n)
                files[module_of(src, p)] = p
    children = {}
    for mod, p in files.items():
        text = strip_comments(open(p, encoding="utf-8").read())
        children[mod] = {c for c in re.findall(r"^\s*(?:pub(?:\([\w:]+\))?\s+)?mod\s+(\w+)\s*;", text, re.M)}
    # `pub use a::b::Item;` in module M: `M::Item` lands in the module that defines it.
    reexports = {}
    for mod, p in files.items():
        text = cut_tests(strip_comments(open(p, encoding="utf-8").read()))
        for m in re.finditer(r"(^|\n)\s*pub(?:\([\w:]+\))?\s+use\s+([^;]+);", text):
            for path in use_paths(m.group(2)):
                target = resolve(mod, path, files, children)
                if target is not None and target != mod:
                    reexports[(mod, path[-1])] = target
    edges = {m: set() for m in files}
    for mod, p in files.items():
        text = cut_tests(strip_comments(open(p, encoding="utf-8").read()))
        paths = []
        for m in re.finditer(r"(^|\n)\s*(pub(?:\([\w:]+\))?\s+)?use\s+([^;]+);", text):
            if m.group(2):  # re-export: publishes, does not use
                continue
            paths += use_paths(m.group(3))
        body = re.sub(r"(^|\n)\s*(pub(?:\([\w:]+\))?\s+)?use\s+[^;]+;", "\n", text)
        for m in re.finditer(r"(?<![\w:])((?:crate|super|self|\w+)(?:::\w+)+)", body):
            paths.append(tuple(m.group(1).split("::")))
        for path in paths:
            target = resolve(mod, path, files, children)
            if target is None:
                continue
            # Follow re-exports: `crate::Db` is `db::Db` when the crate root says `pub use db::Db`.
            consumed = module_depth(mod, path, target)
            seen = set()
            while consumed < len(path) and (target, path[consumed]) in reexports and target not in seen:
                seen.add(target)
                target = reexports[(target, path[consumed])]
                consumed = len(path)
            if target != mod and target in files:
                edges[mod].add(target)
    return files, edges


def sccs(edges):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def main():
    args = sys.argv[1:]
    limit = MAX_LINES
    if "--max-lines" in args:
        i = args.index("--max-lines")
        limit = int(args[i + 1])
        del args[i : i + 2]
    root = args[0] if args else "crates"
    bad = 0
    for crate in sorted(os.listdir(root)):
        src = os.path.join(root, crate, "src")
        if not os.path.isdir(src):
            continue
        files, edges = crate_graph(src)
        for comp in sccs(edges):
            bad += 1
            names = sorted(os.path.relpath(files[m], root) for m in comp)
            print(f"circle in {crate}: " + " ↔ ".join(names))
    for dirpath, _, names in os.walk(root):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(dirpath, n)
                lines = sum(1 for _ in open(p, encoding="utf-8"))
                if lines > limit and not p.endswith(LONG_OK):
                    bad += 1
                    print(f"too long: {p} has {lines} lines (limit {limit})")
    if bad:
        sys.exit(1)
    print("no import circles; no file over", limit, "lines")


if __name__ == "__main__":
    main()
