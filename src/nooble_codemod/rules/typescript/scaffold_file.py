"""ts-scaffold-file: new files a spec scaffolds, beside their sibling modules."""

from __future__ import annotations

from collections import Counter

from nooble_codemod.model import Edit
from nooble_codemod.rules import FileScaffoldRule
from nooble_codemod.rules.typescript import _ast


class ScaffoldFile(FileScaffoldRule):
    id = "ts-scaffold-file"
    language = "typescript"
    reads = ("scaffolds",)
    where = {"kind": "file"}
    summary = "Create the files the spec scaffolds next to their sibling files, if they do not exist"
    fix_safety = "safe"
    doc = """
Creates the file of a spec `[[scaffolds]]` entry of kind `file` (guide §2.6:
`subscription-api.ts`, the SubscriptionAPI class) in each directory that
holds files matching the entry's `beside` pattern (`*-api.ts`) and no file of
that name, from the template in the spec's `templates/` folder. The template's import
placeholders (`imports`, e.g. `{{supabase_import}}` for the binding
`supabase`) are filled with the import the neighbouring files already use
for that binding, so the new module reaches the project's own client.

`check` reports the missing file (at the path it would have); `apply
--dry-run` shows it as a new-file diff; `apply` creates it, never over a
file that exists. When no neighbour imports the binding, the file is not
created and the finding says so.

Example: src/api/{agents,profile}-api.ts import `{ supabase } from
'../lib/supabase'` → src/api/subscription-api.ts is created with that import.
"""

    def scaffold(self, entry, new_file, siblings):
        spec = new_file.spec
        cid = entry["checklist"]
        text = spec.template(entry["template"])
        missing = []
        for placeholder, binding in sorted(entry.get("imports", {}).items()):
            found = Counter(line for ctx in siblings for line in _imports_of(ctx, binding))
            if not found:
                missing.append(binding)
                continue
            line = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            text = text.replace("{{" + placeholder + "}}", line)
        if missing:
            return self.finding(new_file, 0, 0, cid,
                                f"{entry['name']} is missing here, and no neighbouring file imports "
                                f"{', '.join(missing)} to copy the import from: create it by hand. "
                                f"{spec.checklist[cid].advice}")
        return self.finding(new_file, 0, 0, cid, f"{spec.after} adds {entry['name']} (the guide's {spec.checklist[cid].guide} code)",
                            [Edit(0, 0, text)])


def _imports_of(ctx, binding: str):
    """`import { binding } from '…';` for each import of `binding` in a file,
    keeping its form (default, named, renamed) and the module path as written."""
    for stmt in _ast.nodes(ctx, "import_statement"):
        source = stmt.child_by_field_name("source")
        clause = next((c for c in stmt.named_children if c.type == "import_clause"), None)
        if source is None or clause is None or any(c.type == "type" for c in stmt.children):
            continue
        for part in clause.named_children:
            if part.type == "identifier" and _ast.text(ctx, part) == binding:
                yield f"import {binding} from {_ast.text(ctx, source)};"
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    local = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                    if local is not None and _ast.text(ctx, local) == binding:
                        yield f"import {{ {_ast.text(ctx, spec)} }} from {_ast.text(ctx, source)};"
