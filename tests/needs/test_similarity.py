"""Similar needs while typing: accents, plurals, French and English, open needs only."""

from __future__ import annotations

from phare.needs.models import Need
from phare.needs.similarity import analyse, similar_needs
from tests.needs.factories import make_need


def test_words_are_folded_stemmed_and_little_words_dropped():
    assert analyse("Les imprimantes") == analyse("imprimante")
    assert analyse("Télétravail") == analyse("teletravail")
    assert analyse("de la et the of") == []


def test_it_finds_the_need_being_retyped_and_ranks_it_first(people):
    author = people["employee"]
    printers = make_need(author, "Imprimantes en panne au 3e étage",
                         "Les imprimantes du troisième étage tombent souvent en panne.")
    make_need(author, "Application mobile pour les notes de frais",
              "Photographier les tickets de caisse et envoyer la note de frais.")
    make_need(author, "Badge unique pour tous les sites", "Un seul badge pour entrer partout.")
    found = similar_needs("imprimante en panne")
    assert found[0][0] == printers.pk
    assert len(found) == 1


def test_it_meets_an_english_need_and_skips_closed_ones(people):
    author = people["employee"]
    expenses = make_need(author, "Expense reports app", "Scan receipts from the phone.")
    closed = make_need(author, "Expense reports in the ERP", "Expense reports for everyone.")
    Need.objects.filter(pk=closed.pk).update(status=Need.Status.DECLINED)
    found = [pk for pk, _score in similar_needs("Application notes de frais",
                                                "expense report receipts")]
    assert found == [expenses.pk]
    assert similar_needs("", "") == []
    assert similar_needs("zzzz qqqq") == []


def test_the_index_follows_new_needs(people):
    assert similar_needs("visioconférence salle") == []
    new = make_need(people["owner"], "Visioconférence dans chaque salle de réunion")
    assert [pk for pk, _ in similar_needs("visioconférence salle")] == [new.pk]
