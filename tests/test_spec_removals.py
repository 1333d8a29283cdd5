"""The spec's column removals: a duplicate column (`duplicate_of`) and the
columns that show a type is a table's row (`[row_columns]`)."""

from __future__ import annotations

import pytest

from nooble_codemod.spec.loader import Spec, SpecError


def test_documents_rag_tenant_id_is_a_duplicate_of_user_id():
    spec = Spec.load()
    assert spec.duplicates_for("documents_rag") == {"tenant_id": "user_id"}
    assert spec.duplicates_for("conversations") == {}
    assert spec.column_removals_for("documents_rag")["agent_id"].duplicate_of is None


def test_a_row_of_a_table_with_row_columns_shares_two_of_them():
    spec = Spec.load()
    assert spec.is_row_of("documents_rag", {"id", "tenant_id", "collection_id"})
    assert not spec.is_row_of("documents_rag", {"id", "url", "tenant_id"})
    assert spec.is_row_of("conversations", {"tenant_id"})  # no [row_columns]: the name decides


def test_a_removal_cannot_be_both_a_duplicate_and_a_replacement(tmp_path):
    text = Spec.load().path.read_text(encoding="utf-8").replace(
        'duplicate_of = "user_id"', 'duplicate_of = "user_id"\nreplacement = "user_id"', 1)
    bad = tmp_path / "spec.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError, match="both duplicate_of and replacement"):
        Spec.load(bad)
