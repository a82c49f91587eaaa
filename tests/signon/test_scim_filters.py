"""SCIM's filter language and PATCH operations, on values (no database)."""

from __future__ import annotations

import pytest

from phare.signon.scim import filters, patch
from phare.signon.scim.errors import ScimError

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def test_it_reads_precedence_not_and_or():
    node = filters.parse('a eq "1" or b eq "2" and not (c pr)')
    assert isinstance(node, filters.Logical) and node.op == "or"
    assert isinstance(node.right, filters.Logical) and node.right.op == "and"
    assert isinstance(node.right.right, filters.Not)


def test_it_reads_entra_ids_value_path_with_a_sub_attribute_and_urns():
    node = filters.parse('emails[type eq "work"].value eq "A@x.fr"', USER)
    assert isinstance(node, filters.Compare) and node.path.sub == "value"
    assert filters.matches(node.path.where, {"type": "Work"})  # type: ignore[arg-type]
    urn = filters.parse(f'{USER}:userName eq "a"', USER)
    assert urn.path.key == "username"  # type: ignore[union-attr]
    ext = filters.parse(f'{ENTERPRISE}:employeeNumber eq "E1"', USER)
    assert ext.path.key == f"{ENTERPRISE.lower()}:employeenumber"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ['', 'a eq', 'a eq "x" or', 'a[b eq "c"', 'a eq "x" )',
                                  '"a" eq b'])
def test_it_refuses_what_it_cannot_read(text):
    with pytest.raises(ScimError) as refused:
        filters.parse(text)
    assert (refused.value.status, refused.value.scim_type) == (400, "invalidFilter")


def apply(resource, *operations):
    return patch.apply(resource, {"schemas": [PATCH_OP], "Operations": list(operations)},
                       core=USER, extensions=[ENTERPRISE], read_only=["id", "groups"])


def test_a_patch_adds_a_work_email_the_way_entra_id_does():
    result = apply({"emails": []}, {"op": "Add", "path": 'emails[type eq "work"].value',
                                    "value": "a@x.fr"})
    assert result["emails"] == [{"type": "work", "value": "a@x.fr"}]


def test_a_patch_without_path_merges_extensions_and_keeps_read_only_attributes():
    result = apply({"id": "1", "active": True, ENTERPRISE: {"employeeNumber": "E1"}},
                   {"op": "replace", "value": {"active": False, "id": "9",
                                               ENTERPRISE: {"department": "FIN"}}})
    assert result == {"id": "1", "active": False,
                      ENTERPRISE: {"employeeNumber": "E1", "department": "FIN"}}


def test_a_patch_removes_members_by_filter_or_by_value():
    group = {"members": [{"value": "1"}, {"value": "2"}, {"value": "3"}]}
    result = apply(group, {"op": "remove", "path": 'members[value eq "2"]'},
                   {"op": "Remove", "path": "members", "value": [{"value": "3"}]},
                   {"op": "add", "path": "members", "value": [{"value": "1"}, {"value": "4"}]})
    assert result["members"] == [{"value": "1"}, {"value": "4"}]


@pytest.mark.parametrize(("body", "scim_type"), [
    ({"Operations": [{"op": "add", "path": "a", "value": 1}]}, "invalidSyntax"),
    ({"schemas": [PATCH_OP], "Operations": []}, "invalidSyntax"),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "move", "path": "a"}]}, "invalidSyntax"),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "remove"}]}, "noTarget"),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "urn:x:y:a", "value": 1}]},
     "invalidPath"),
])
def test_a_bad_patch_is_refused(body, scim_type):
    with pytest.raises(ScimError) as refused:
        patch.apply({}, body, core=USER, extensions=[ENTERPRISE])
    assert refused.value.scim_type == scim_type
