"""Themes' labels as distinctive phrases, generic words left out, a theme only for the texts
close to it, and French and English comments on one subject together."""

from __future__ import annotations

import itertools

import pandas as pd

from phare.analysis import stopwords
from phare.analysis.themes import themes


def _sentences(*parts: list[str]) -> list[str]:
    return [" ".join(w for w in words if w) for words in itertools.product(*parts)]


# The same three subjects in French and in English, with no word in common between languages.
LAPTOP_FR = _sentences(["Mon ordinateur portable", "Le vieil ordinateur portable"],
                       ["est lent", "est très lent", "démarre lentement"],
                       ["le matin", "", "depuis des mois"])
LAPTOP_EN = _sentences(["My laptop", "The old laptop"], ["is slow", "is really slow"],
                       ["every morning", ""])
PASSWORD_FR = _sentences(["Mon mot de passe", "Le mot de passe de mon compte"],
                         ["est bloqué", "expire sans arrêt", "se bloque"],
                         ["encore", "", "chaque semaine"])
PASSWORD_EN = _sentences(["My password", "The password of my account"],
                         ["is locked", "gets locked"], ["again", ""])
TRAINING_FR = _sentences(["Les ateliers de formation", "La formation sur les nouveaux outils"],
                         ["sont utiles", "est excellente", "manque"],
                         ["vraiment", "", "pour tous"])
TRAINING_EN = _sentences(["The training workshops", "Training on the new tools"],
                         ["is useful", "was missing"], ["indeed", ""])
GROUPS = {"laptop": (LAPTOP_FR, LAPTOP_EN), "password": (PASSWORD_FR, PASSWORD_EN),
          "training": (TRAINING_FR, TRAINING_EN)}
#: What anybody writes, whatever the subject: courtesy, verdicts, the service, the work.
GENERIC = ["Merci au service, plutôt mieux pour le travail.", "Thanks, the service works better.",
           "Service correct dans l'ensemble, merci.", "Travail plutôt bien fait, merci."]


def _corpus(padding: str = "") -> tuple[list[str], list[str], list[str]]:
    texts, subjects, languages = [], [], []
    for subject, (french, english) in GROUPS.items():
        for language, group in (("fr", french), ("en", english)):
            for i, text in enumerate(group):
                texts.append(f"{text} {padding}".strip() if i % 2 else text)
                subjects.append(subject)
                languages.append(language)
    return texts, subjects, languages


def _theme_of(result, subjects, languages, subject, language):
    chosen = pd.Series(result.assignments.to_numpy())[
        [s == subject and lang == language for s, lang in zip(subjects, languages, strict=True)]]
    return chosen.mode().iloc[0]


def test_french_and_english_comments_on_one_subject_make_one_theme():
    texts, subjects, languages = _corpus()

    result = themes(texts, n_themes=3)

    for subject in GROUPS:
        french = _theme_of(result, subjects, languages, subject, "fr")
        assert french > 0
        assert french == _theme_of(result, subjects, languages, subject, "en"), subject
    table = pd.crosstab(pd.Series(subjects), result.assignments.to_numpy())
    assert (table.max(axis=1) == table.sum(axis=1)).all()  # each subject wholly in its theme


def test_labels_are_distinctive_phrases_in_one_language_each():
    texts, subjects, languages = _corpus()

    result = themes(texts, n_themes=3)

    labels = {subject: result.themes[_theme_of(result, subjects, languages, subject, "fr") - 1]
              for subject in GROUPS}
    assert "mot de passe" in labels["password"].phrases[:3]
    assert "ordinateur portable" in labels["laptop"].phrases[:3]
    assert labels["password"].label.count("mot de passe") == 1
    # One subject is not named twice, once per language.
    assert not {"formation", "training"} <= set(labels["training"].label.split(", "))
    assert not {"laptop", "ordinateur portable"} <= set(labels["laptop"].label.split(", "))


def test_generic_and_stop_words_never_start_or_end_a_phrase():
    texts, _, _ = _corpus(padding="Merci, le service est plutôt mieux, c'est du bon travail.")

    result = themes(texts + GENERIC * 3, n_themes=3, top_terms=10)

    left_out = stopwords.GENERIC | stopwords.FRENCH | stopwords.ENGLISH
    generic = {"merci", "service", "travail", "plutot", "mieux", "bon", "thanks", "better"}
    for theme in result.themes:
        assert not {stopwords.fold(term) for term in theme.terms} & generic, theme.terms
        assert not {stopwords.fold(w) for p in theme.phrases for w in p.split()} & generic
        assert not {stopwords.fold(term) for term in theme.terms} & left_out, theme.terms
        for phrase in theme.phrases:
            words = phrase.split()
            assert stopwords.fold(words[0]) not in left_out, phrase
            assert stopwords.fold(words[-1]) not in left_out, phrase


def test_a_comment_far_from_every_theme_gets_none():
    texts, _, _ = _corpus()
    stray = ["La cantine ferme trop tôt le vendredi", "Parking plein dès huit heures",
             "Le café de la machine est froid", "The lift is broken on floor four",
             "Les plantes du hall sont fanées", "Ascenseur en panne au quatrième"]

    result = themes(texts + stray, n_themes=3)

    assert (result.assignments.iloc[: len(texts)] > 0).all()
    assert (result.assignments.iloc[len(texts):] == -1).all()
    assert sum(t.size for t in result.themes) == len(texts)
