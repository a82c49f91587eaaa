"""The standard ticket questionnaire: the 0–10 rating, its bands, the reasons asked in each
band and the work time lost — the one place that knows them (the survey is made from these in
:func:`phare.tickets.services.ticket_survey_create`; the pages colour the scale by band)."""

from __future__ import annotations

RATING = "rating"
#: The rating's bands, as the follow-up reasons depend on them.
BANDS = (("low", 0, 6), ("mid", 7, 8), ("high", 9, 10))


def _options(*items: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"code": code, "label_fr": fr, "label_en": en} for code, fr, en in items]


REASONS = {
    "low": _options(
        ("slow", "Résolution trop lente", "Resolution took too long"),
        ("repeat", "J'ai dû répéter ma demande", "I had to repeat myself"),
        ("not_solved", "Le problème n'est pas résolu", "The problem is not solved"),
        ("communication", "Communication insuffisante", "Poor communication"),
        ("chase", "J'ai dû relancer", "I had to chase"),
        ("not_informed", "Pas tenu informé de l'avancement", "Not kept informed"),
    ),
    "mid": _options(
        ("bit_long", "Un peu long", "Took a bit long"),
        ("partly_solved", "Partiellement résolu", "Only partly solved"),
        ("follow_up", "Une relance a été nécessaire", "I had to follow up once"),
        ("explanations", "Explications peu claires", "Explanations could be clearer"),
        ("reach", "Difficile de joindre le support", "Hard to reach support"),
    ),
    "high": _options(
        ("fast", "Rapide", "Fast"),
        ("friendly", "Technicien aimable", "Friendly technician"),
        ("first_time", "Résolu du premier coup", "Solved first time"),
        ("clear", "Explications claires", "Clear explanations"),
        ("informed", "Tenu informé", "Kept informed"),
    ),
}
REASON_TEXTS = {
    "low": ("Qu'est-ce qui n'a pas été ?", "What went wrong?"),
    "mid": ("Qu'est-ce qui aurait pu être mieux ?", "What could have been better?"),
    "high": ("Qu'avez-vous apprécié ?", "What did you appreciate?"),
}
LOST_TIME = _options(("none", "Aucun", "None"), ("lt_1h", "Moins d'une heure", "Less than an hour"),
                     ("1_4h", "1 à 4 heures", "1 to 4 hours"), ("day", "Une journée", "A day"),
                     ("more", "Plus", "More"))


def band_of(score: int) -> str:
    return next(name for name, low, high in BANDS if low <= score <= high)
