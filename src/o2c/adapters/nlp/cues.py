"""Keyword cues: hand-written signals in English, Dutch, French and German.

The static embedding model was distilled from an English model, so Dutch, French and German
words often fall apart into meaningless word pieces. These cue groups give the classifier
language-independent evidence instead: each group is a regular expression over the normalised
text (lower case, accents folded, every digit run replaced by ``0``; see `features.normalise`),
and a text's cue vector says which groups matched. Groups name general vocabulary of an intent
(or of what separates two, such as a reference to an existing order, a changed quantity, goods
already received), never phrases taken from the data; each was kept only if it raised macro F1
in cross-validation over training families. The classifier learns how much each group
counts for each intent; a cue never decides an intent on its own.
"""

from __future__ import annotations

import re

import numpy as np

_CUE_PATTERNS: dict[str, str] = {
    "invoice": r"\b(invoic|invoce|invocie|inv\b|bill\b|factu|rechnung|f0 0\b)",
    "order_word": r"\b(order|bestel|commande|auftrag|so 0 0\b)",
    "po_ref": r"\b(po\b|purchase order|inkooporder|our ref|onze ref|notre ref|unsere ref)",
    "copy": (
        r"\b(cop(y|ie)|kopie|duplicat|dup\b|resend|re send|send (it |them )?again|reprint|herdruk|pdf|ubl"
        r"|renvoy|opnieuw (sturen|versturen)|nochmal|erneut|download|herunterlad|attach|bijlage|joint"
        r"|angehangt|never (came|received|got)|not (received|attached)|nooit ontvangen|niet (gekregen|ontvangen))"
    ),
    "invoice_content": (
        r"\b(wrong|incorrect|verkeerd|falsch|faux|klopt niet|doesn.?t match|ne correspond|overeen"
        r"|charged|charge|berechnet|abgerechnet|invoiced|gefactureerd|dispute|betwist|surcharge|toeslag"
        r"|zuschlag|frais|fee\b|vat\b|btw|tva|mwst|rebate|bonus|promo|aktion|discount|korting|rabatt"
        r"|remise|price|prijs|prix|preis|credit note|creditnota|avoir|gutschrift|deposit|statiegeld|pfand"
        r"|total|amount|bedrag|montant|betrag)"
    ),
    "payment": (
        r"\b(paid|pay\b|paying|payment|betaal|betaling|betalen|paie|paye|paiement|regl|bezahl|zahlung"
        r"|uberweis|overgemaakt|transferr|iban|bank|reminder|relance|mahnung|aanmaning|mise en demeure"
        r"|final notice|remittance|betaaladvies|owe\b|outstanding|openstaand|saldo|solde|balance"
        r"|debit|lastschrift|prelevement|incasso|refund|erstattung|rembours|terugbetal|due\b|echeance"
        r"|termijn|terms|instal|cash|contant|credit card|creditcard|afgeschreven)"
    ),
    "problem": (
        r"\b(missing|ontbr|manqu|fehl|damag|beschadig|abim|broken|kapot|kaputt|casse|leak|lek\b|lekt|lekken"
        r"|fuit|fuy|undicht|expired|abgelaufen|peremption|verlopen|dented|verbeult|crushed|ecrase|thaw"
        r"|defrost|ontdooid|spoil|verdorb|bederf|rude|onbeleefd|impoli|unfreundlich|complain|klacht|plainte"
        r"|reklamation|beschwerde|wrong (item|product|size|goods|delivery|shop|store|address|customer)"
        r"|short\b|te weinig|zu wenig|only 0|seulement 0|maar 0|nur 0|torn|ripped|scheur|dechir|zerriss|mould|mold"
        r"|schimmel|moisi|flat\b|schal\b|smashed|refuse|weiger|refus|ablehn|unacceptable|onacceptabel|inacceptable"
        r"|inakzeptabel|falsche|verkeerde|mauvais|not what we ordered)"
    ),
    "status": (
        r"\b(where|waar|ou en est|en est ou|wo\b|when|wanneer|quand|wann\b|eta\b|status|statut|track"
        r"|shipped|dispatched|verzonden|verschickt|onderweg|unterwegs|on its way|arriv|how long|hoe lang"
        r"|wie lange|confirm|bevestig|backorder|nalevering|levertijd|liefertermin|what time|hoe laat"
        r"|quelle heure|wie viel uhr|update on|any news|nieuws|neuigkeit|nouvelles|yet\b|already|schon\b|deja"
        r"|expected|verwacht|voraussichtlich|on track|volgens plan|processed|verwerkt|loaded|geladen|charge"
        r"|stand van zaken|sachstand|faire le point|suivi|tracking|track ?(and|n|&) ?trace)"
    ),
    "person": (
        r"\b(person|persoon|personne|human|mens\b|mensch|agent|operator|medewerker|mitarbeiter"
        r"|colleague|collega|kollege|call me|ring me|bellen|bel me|terugbel|rappel|appeler|anruf"
        r"|zuruckruf|phone|telefoon|telephone|manager|escalat|eskalier|someone|quelqu.un|iemand|jemand"
        r"|talk|speak|spreken|praten|parler|sprechen|contact|bot\b|chatbot|callback|put me through"
        r"|connect me|transfer me|verbind|supervisor|leidinggevende|vorgesetzt|responsable|accounts|boekhouding"
        r"|buchhaltung|comptab|sales rep|commercial|vertegenwoordiger|aussendienst)"
    ),
    "cancel": (
        r"\b(cancel|annul|storn|opzeg|resili|don.?t need|dont need|no longer need|niet meer nodig"
        r"|plus besoin|nicht mehr|do not ship|don.?t deliver|niet leveren|scrap|call(ed)? off|abgesagt|fallt aus"
        r"|gaat niet door|withdraw|zuruckgezogen|ingetrokken|forget (the|my) order|laissez tomber|vergeet"
        r"|not happening|hoeft niet( meer)?|don t bother|dont bother|geschrapt|schrappen|mag weg|absag"
        r"|n en (veut|voulons) plus|stop (the|our|my) (order|standing|delivery)|stoppen|retire (ma|notre|la)"
        r"|ne (pas|plus) livrer)"
    ),
    "change": (
        r"\b(change|wijzig|aanpass|andern|anderung|modif|add\b|toevoeg|hinzufug|ajout|swap|replac"
        r"|vervang|remplac|ersetz|remove|retir|streich|move|verplaats|verschieb|reduc|redui|increase"
        r"|erhoh|split|splits|hold|update|instead|in plaats|au lieu|statt|edit|postpone|uitstel|reporter"
        r"|earlier|eerder|later|correct|corrig|korrig|combine|samenvoeg|zusammenleg|combin|double|dubbel|less\b"
        r"|minder|weniger|moins|more\b|meer|mehr|not 0|niet 0|nicht 0|pas 0|should be|soll|devrait|mistake|fout"
        r"|erreur|fehler|typo)"
    ),
    "new_order": (
        r"\b(i.?d like|would like|want to (order|buy|place|put)|voudrais|souhaite|wil graag|mochte|mochten"
        r"|we need|need\b|nodig|brauchen|il me faut|new order|neue bestellung|nieuwe bestelling"
        r"|nouvelle commande|reorder|repeat|same order|usual|buy|buying|acheter|kaufen|kopen"
        r"|please (send|deliver)|merci de (nous )?livrer|bestellen|commander|same as (last|before|usual|our)"
        r"|zelfde als|hetzelfde als|meme commande|comme (la derniere|d habitude)|wie (letzte|immer)"
        r"|gleiche (bestellung|wie))"
    ),
    "quantity": (
        r"(\b0 ?x ?0\b|\b0 ?x\b|\bx ?0\b|\b0 ?(cases?|cs|kegs?|fust(en)?|futs?|fass(er)?|pallets?|pal|palett(en|es?)"
        r"|crates?|kratten|casiers?|kisten?|caisses?|dozen|doos|trays?|bottles?|flessen|bouteilles?"
        r"|flaschen|cartons?|boxes|box|kg|l|cups|becher|mugs|tassen)\b)"
    ),
    "delivery_policy": (
        r"\b(do (you|u)( guys)? (deliver|offer|use|take)|leveren jullie|livrez.vous|vous livrez|liefert ihr"
        r"|liefern sie|minimum|minimal|min order|free (delivery|shipping)|gratis|kostenlos|surcharge"
        r"|slot|window|venster|zeitfenster|cut.?off|holiday|feiertag|feries|pick ?up|collect|ophalen"
        r"|abhol|refrigerat|abroad|delivery (cost|charge|days|times|hours)|is it possible|est.il possible"
        r"|how often|hoe vaak|wie oft|combien de fois|lead time|delai|tail lift|hebebuhne|laadklep|hayon|evening"
        r"|avond|abends|soir\b|options|opties|moglichkeit|possibilit|area\b|regio|gebied|gebiet|secteur)"
    ),
    "weekday_or_relative_day": (
        r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|tomorrow|tmrw"
        r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|morgen|lundi|mardi|mercredi|jeudi"
        r"|vendredi|samedi|dimanche|demain|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
    ),
    "smalltalk": (
        r"\b(thank|thx|thanks|dank|merci|danke|hello|hi\b|hallo|bonjour|goedemorgen|ok\b|oke|d.accord|great"
        r"|good (morning|afternoon|evening)|goedemiddag|goedenavond|guten (tag|morgen|abend)|bonsoir|lol|haha)"
    ),
    "product_info": (
        r"\b(range|assortiment|sortiment|gluten|allergen|alcohol|alcool|price list|prijslijst|liste de prix"
        r"|preisliste|newsletter|nieuwsbrief|hiring|jobs?\b|vacature|sponsor|log ?in|inloggen|open an account"
        r"|become a customer|compte client|sell\b|verkopen|verkauf|vendez|non.alcoholic|alcoholvrij|alkoholfrei"
        r"|sans alcool|shelf life|houdbaar|haltbar|gift|cadeau|geschenk|app\b|survey|onderzoek|umfrage|enquete"
        r"|tour\b|rondleiding|fuhrung|gdpr|avg\b|dsgvo|rgpd|personal data|persoonsgegevens|company name"
        r"|raison sociale|firmenname|moved|verhuisd|umgezogen|demenag|intern|stage\b|stagiair|praktik|sollicit"
        r"|bewerb|candidat|work for you|werken bij|arbeiten bei|travailler chez|klant worden|kunde werden"
        r"|devenir client|account aanmaken|konto (anlegen|erstellen|eroffnen)|creer un compte|kundenstamm"
        r"|stamgegevens|customer records|registration number|kvk|handelsregister|numero d entreprise"
        r"|ondernemingsnummer|(vat|btw|tva|ust id ?nr|ust) (number|nummer|numero))"
    ),
    "existing_order": (
        r"\b(my|our|the|this|that|last|yesterday s|tomorrow s|today s|friday s|mijn|onze|de|ma|notre|la|meine"
        r"|unsere|die|der) (order|bestelling|commande|bestellung|auftrag|lieferung|levering|livraison|delivery)\b"
        r"|\b(on|to|from|in|op|bij|van|aan|sur|dans|de|zur|zum|von|im|aus) (my |our |the |this |mijn |onze |de "
        r"|ma |notre |la |meine |unsere |der |dem )?(order|bestelling|commande|bestellung|auftrag|po)\b"
        r"|\b(order|auftrag|commande|bestelling) 0\b|\bso 0 0\b"
    ),
    "quantity_change": (
        r"\b(from|van|de|von) 0 (to|naar|a|auf|tot) 0\b|\b0 0\b"
        r"|\b(to|naar|auf|a) 0 (cases|kisten|dozen|caisses|kegs|vaten)\b|\binstead of 0\b"
    ),
    "reschedule": (
        r"\b(move|push|bring forward|verplaats|vervroeg|verschieb|vorzieh|reporter|avancer|decaler|postpone"
        r"|uitstellen|delay|aanhouden|zuruckhalten|hold|opschuiv\w*|vervroeg\w*|avanc\w*|naar voren)\b"
    ),
    "stock_out": (
        r"\b(running (low|out)|run out|ran out|out of\b|we re out|were out|almost out|low on|bijna op|is op\b"
        r"|zijn op\b|zitten zonder|a court|presque plus|plus de stock|rupture|wir sind leer|fast leer|ausverkauft"
        r"|knapp|nichts mehr)"
    ),
    "received": (
        r"\b(received|got|came|arrived|delivered|ontvangen|gekregen|geleverd|kwam|recu|livre|arrive|erhalten"
        r"|bekommen|geliefert|kam)\b"
    ),
    "question": r"\?",
    "exclaim": r"!",
}

CUE_NAMES: tuple[str, ...] = tuple(_CUE_PATTERNS)
_COMPILED = tuple(re.compile(pattern) for pattern in _CUE_PATTERNS.values())


def cue_vector(normalised_text: str) -> np.ndarray:
    """1.0 for each cue group that occurs in the (already normalised) text, else 0.0."""
    return np.array([1.0 if rx.search(normalised_text) else 0.0 for rx in _COMPILED], dtype=np.float32)
