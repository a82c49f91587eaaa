"""French and English stop words for the analysis of verbatims.

Written for Phare from the usual function-word lists (articles, pronouns, prepositions,
conjunctions, auxiliaries and their common forms, frequent adverbs), in the spirit of the
Snowball project's lists (https://snowballstem.org/algorithms/french/stop.txt and
.../english/stop.txt). They also hold the pieces that tokenising leaves behind: French elisions
(``l'``, ``d'``, ``qu'``, ``jusqu'``…), English contractions (``don't`` → ``don``, ``t``) and
``aujourd'hui`` → ``aujourd``, ``hui``.

Words that carry an opinion in a satisfaction survey (``mal``, ``lent``, ``slow``, ``bad``…)
are deliberately absent. ``FRENCH`` and ``ENGLISH`` are accent-folded and lower-case, like the
words they are compared with (:func:`fold`).
"""

from __future__ import annotations

from sklearn.feature_extraction.text import strip_accents_unicode

_FRENCH = """
    a à â afin ai aie aient aies ait ainsi alors as assez au aucun aucune aujourd aupres auprès
    auquel aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aussi
    autre autres aux auxquelles auxquels avaient avais avait avant avec avez aviez avions avoir
    avons ayant ayez ayons beaucoup bien c ça ca car ce ceci cela celle celles celui cependant
    certain certaine certaines certains ces cet cette ceux chacun chacune chaque chez ci comme
    comment contre d dans de depuis des dès desquelles desquels deux donc dont du duquel durant
    elle elles en encore entre es est et étaient étais était étant été êtes étiez étions être
    eu eue eues eûmes eurent eus eusse eussent eut eux fais faisait faisons fait faites faut
    fois font furent fus fut hui il ils j je jusqu jusque l la là laquelle le lequel les
    lesquelles lesquels leur leurs lors lorsqu lorsque lui m ma mais me même mêmes mes moi
    moins mon n ne ni non nos notre nous on ont or ou où oui par parce parfois parmi pas pendant
    peu peut peuvent peux plupart plus plusieurs pour pourquoi pourrait pourraient pouvons
    presqu presque puis puisqu puisque qu quand que quel quelle quelles quelqu quelque quelques
    quels qui quoi quoiqu quoique s sa sans se sera serai seraient serais serait seras serez
    seriez serions serons seront ses si sien sienne soi soient sois soit sommes son sont sous
    souvent suis sur t ta tant te tel telle telles tels tes toi ton toujours tous tout toute
    toutes très trop tu un une unes uns va vais vas vers via voici voilà vont vos votre vous y
    aller allé allée allés avez-vous cest etc etre faire fasse mien mienne miens miennes tien
    tienne tiens tiennes nôtre nôtres vôtre vôtres leurs celui-ci celle-ci ceux-ci là-bas
    ailleurs alentour après aussitôt autant autour autrefois autrement avant-hier certes déjà
    dedans dehors dessous dessus désormais devant ici jamais juste lequel maintenant malgré
    néanmoins partout pourtant quasi quelquefois rien seulement sinon sitôt soudain surtout
    tandis tellement tôt vraiment vers voire chose choses quelqu'un quiconque personne autrui
    ceux-là dont lorsque qu'il qu'elle dois doit doivent devons devez devait devrait dû
    pouvait pourra pourrais pu veux veut voulons voulez veulent voulait voudrais voudrait
    avoir sais sait savons savez savent vais allons allez allait ira irait mettre met mis
    donne donner dit dire disent fait faits faite faites ferait feront
"""

_ENGLISH = """
    a about above after again against ain all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn d did didn do does doesn
    doing don down during each either else even ever every few for from further get gets
    getting got had hadn has hasn have haven having he her here hers herself him himself his how
    however i if in into is isn it its itself just least less let ll m ma many may me might
    mightn more most much must mustn my myself need needn neither no nor not now o of off often
    on once one only or other others otherwise ought our ours ourselves out over own quite
    rather re really s same shall shan she should shouldn since so some still such t than that
    the their theirs them themselves then there these they this those though through thus to
    too under until up upon us ve very via was wasn we were weren what whatever when whenever
    where whereas wherever whether which while who whoever whom whose why will with within
    without won would wouldn y yet you your yours yourself yourselves already always another
    anybody anyone anything anyway anywhere around away every everybody everyone everything
    everywhere etc lot lots almost along among across actually again ago else enough especially
    far go goes going gone hence indeed instead later likely made make makes making maybe mostly
    nobody none nothing nowhere okay ok per perhaps please probably put said say says seem
    seems seen sometimes somebody someone something somewhere soon thing things thereby
    therefore toward towards unless us whereby yes yet able across besides beyond
"""


#: Words that every comment of an IT satisfaction survey may use whatever it is about:
#: courtesy, hedges and comparatives, verdicts ("déçu", "parfait", "à améliorer"), and the
#: survey's own subject (the service, the work, IT).
#: They are not stop words (they carry meaning in a sentence) but they tell no theme apart, so
#: themes leave them out of their terms and labels.
_GENERIC = """
    merci bonjour cordialement svp remerciement remerciements plutôt mieux globalement
    général générale généralement ensemble bon bonne bons bonnes bien correct correcte
    service services travail travailler dsi informatique it équipe équipes chose choses fois
    jour jours rien sans plus vraiment assez très trop toujours encore
    thanks thank hello regards overall generally good fine better well service services work
    working team things thing day days really quite rather
    satisfait satisfaite satisfaits satisfaction insatisfait déçu déçue décevant décevante
    parfait parfaite top bravo super génial terrible franchement expérience améliorer
    amélioration urgence quotidien pénible continuez permet permettre marche tenir
    satisfied unsatisfied satisfaction disappointed disappointing perfect great excellent
    terrible honestly experience improve improvement urgently daily pain keep lets allows
"""


def fold(word: str) -> str:
    """Lower-case ``word`` and strip its accents (as ``strip_accents="unicode"`` does)."""
    return strip_accents_unicode(word.lower())


def _fold_all(words: str) -> frozenset[str]:
    # Hyphenated or elided entries are tokenised into their pieces, like the texts are.
    pieces = words.replace("-", " ").replace("'", " ").split()
    return frozenset(fold(piece) for piece in pieces)


FRENCH: frozenset[str] = _fold_all(_FRENCH)
ENGLISH: frozenset[str] = _fold_all(_ENGLISH)
GENERIC: frozenset[str] = _fold_all(_GENERIC)
