"""`apply --verify`: the type checkers on the tree before and after the edits
(checkers.py), on a copy of it (tree.py); which edit group each new error
comes from (compare.py). The stage that drives them is
engine/stages/verification.py."""
