"""Whether a message says enough to act on, whatever the classifier's scores.

The classifier always finds a most likely intent, and for some messages it is confidently wrong
to act at all: a bare "yes" or "ok" answers a question nobody asked, and "problem with order and
invoice" names two documents without saying what is wanted. Neither says what the customer needs,
so the reply should be a clarifying question.

A message **names no request** when, after setting aside filler words (articles, pronouns,
prepositions, "please"), bare acknowledgements (yes, ok, ja, oui, nein) and generic words of
trouble (problem, question, help, issue), nothing is left but document nouns (order, invoice,
delivery, payment and their Dutch, French and German forms, reference prefixes such as ``SO``)
and these name no document or more than one kind of document. One kind alone ("problem with my
delivery", "invoice?") is left to the classifier: its subject is clear enough to answer.
Greetings and thanks are not set aside: they are complete messages (intent ``other``).

Words are compared in the normalised form of `features.normalise` (accents folded, lower case,
digit runs as ``0``).
"""

from __future__ import annotations

import re

_FILLER = frozenset("""
    a an the my our your his her its their this that these those it i we me us you u there here
    with and or of for about on in to at by from is are was be have has had do does any some re regarding
    please pls plz pl
    de het een mijn onze ons uw jullie je dit dat die deze met en of over van voor bij op in aan is zijn
    er ik we wij mij me graag aub alstublieft alsjeblieft svp stp ivm betreft m b t mbt
    le la les l un une des du d mon ma mes notre nos votre vos avec et ou pour sur a au aux est il y j je
    nous vous concernant sujet s
    der die das den dem des ein eine einen einer eines mein meine meinen meiner unser unsere unseren
    unserer ihr ihre ihren mit und oder zu zur zum von fur uber bei auf im ist es ich wir sie bitte
    bezuglich betreffend wegen
""".split())

_ACKNOWLEDGEMENTS = frozenset("""
    yes yeah yep yup ya yea y ok okay oke okey okidoki k kk sure no nope nah
    ja jawel jep jup nee neen nein jo
    oui ouais non si accord
    genau klar
""".split())

_TROUBLE = frozenset("""
    problem problems issue issues question questions query queries help trouble something thing stuff
    probleem problemen vraag vragen vraagje hulp iets kwestie ding
    probleme problemes question questions souci soucis aide quelque chose truc
    frage fragen hilfe etwas sache
""".split())

_DOCUMENTS: dict[str, frozenset[str]] = {
    "order": frozenset("""
        order orders so po bestelling bestellingen commande commandes bestellung bestellungen auftrag auftrage
    """.split()),
    "invoice": frozenset("inv invoice invoices bill bills factuur facturen facture factures rechnung rechnungen".split()),
    "delivery": frozenset("""
        delivery deliveries shipment shipments levering leveringen zending livraison livraisons lieferung
        lieferungen
    """.split()),
    "payment": frozenset("payment payments betaling betalingen paiement paiements zahlung zahlungen".split()),
}

_WORD = re.compile(r"[a-z]+")
_SET_ASIDE = _FILLER | _ACKNOWLEDGEMENTS | _TROUBLE


def names_a_request(normalised_text: str) -> bool:
    """False when the message says nothing to act on (see the module docstring)."""
    words = [w for w in _WORD.findall(normalised_text) if w not in _SET_ASIDE]
    documents = {kind for kind, nouns in _DOCUMENTS.items() for w in words if w in nouns}
    if any(not any(w in nouns for nouns in _DOCUMENTS.values()) for w in words):
        return True
    return len(documents) == 1
