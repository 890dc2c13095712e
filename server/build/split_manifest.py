#!/usr/bin/env python3
"""Repairs the chunk names in the WASM split manifest after `cargo leptos build --split`.

cargo-leptos 0.3.7 puts content hashes into file names by plain text replacement, and in the
manifest it replaces the names without their extension: renaming `chunk_1` also rewrites
`chunk_17`, `chunk_173`, ... into names that do not exist (`chunk_1.<hash>7`). The server reads
the manifest to tell the browser which chunks an on-demand page needs, so every such name became
a 404 in the browser's console. The chunk loader itself (`__wasm_split.*.js`) is rewritten with
the extension and is right.

Each chunk's number survives the damage: this maps every manifest entry back to the one file of
that number in `pkg/` and rewrites the manifest. Its precompressed copies are removed (only the
server reads the manifest, from disk). Fails loudly if an entry cannot be mapped.
"""
import glob
import json
import os
import re
import sys

pkg = sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg"
manifests = glob.glob(os.path.join(pkg, "__wasm_split_manifest*.json"))
if not manifests:
    sys.exit(0)  # not a split build

by_number = {}
for path in glob.glob(os.path.join(pkg, "chunk_*.wasm")):
    stem = os.path.basename(path)[: -len(".wasm")]
    number = re.match(r"chunk_(\d+)", stem).group(1)
    if number in by_number:
        sys.exit(f"two files for chunk {number}: {by_number[number]} and {stem}")
    by_number[number] = stem

# A damaged name is `chunk_<a>.<22-char hash><rest of the number>[.<hash of that chunk>]`.
HASH = r"[A-Za-z0-9_-]{22}"
damaged = re.compile(rf"^chunk_(\d+)(?:\.{HASH}(\d*))*(?:\.{HASH})?$")

for manifest in manifests:
    with open(manifest) as f:
        entries = json.load(f)
    fixed = 0
    for chunks in entries.values():
        for i, name in enumerate(chunks):
            if os.path.exists(os.path.join(pkg, name + ".wasm")):
                continue
            parts = re.findall(rf"chunk_(\d+)|\.{HASH}(\d+)", name)
            if not damaged.match(name) or not parts:
                sys.exit(f"{manifest}: cannot read chunk name {name!r}")
            number = "".join(a or b for a, b in parts)
            if number not in by_number:
                sys.exit(f"{manifest}: no chunk file for {name!r} (chunk {number})")
            chunks[i] = by_number[number]
            fixed += 1
    with open(manifest, "w") as f:
        json.dump(entries, f, indent=2)
    for suffix in (".br", ".gz"):
        if os.path.exists(manifest + suffix):
            os.remove(manifest + suffix)
    print(f"split manifest: {fixed} chunk names repaired in {os.path.basename(manifest)}")
