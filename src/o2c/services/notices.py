"""Proactive customer notices: what happened, what we did, what the customer can choose — in their language.

A notice is rendered from templates in English, Dutch, German and French (anything else falls back to
English) for one customer and one incident, listing each affected order with its promised date and
the remedy taken (or the new date). It is drafted before the customer would notice and queued on the
customer's channel; the caller stores it with a dedupe key, so it goes out once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

LANGUAGES = ("en", "nl", "de", "fr")

CAUSE: dict[str, dict[str, str]] = {
    "line_breakdown": {"en": "a production line stopped", "nl": "een productielijn is stilgevallen",
                       "de": "eine Produktionslinie ist ausgefallen", "fr": "une ligne de production est à l'arrêt"},
    "stockout": {"en": "an item ran out of stock", "nl": "een artikel is niet op voorraad",
                 "de": "ein Artikel ist nicht vorrätig", "fr": "un article est en rupture de stock"},
    "stock_adjustment": {"en": "stock turned out to be short", "nl": "de voorraad bleek te krap",
                         "de": "der Bestand reicht nicht aus", "fr": "le stock s'est révélé insuffisant"},
    "carrier_delay": {"en": "our carrier reports delays in your region",
                      "nl": "onze vervoerder meldt vertraging in uw regio",
                      "de": "unser Spediteur meldet Verzögerungen in Ihrer Region",
                      "fr": "notre transporteur signale des retards dans votre région"},
    "missed_pickup": {"en": "the carrier missed the pickup at our warehouse",
                      "nl": "de vervoerder heeft de zending niet opgehaald",
                      "de": "der Spediteur hat die Sendung nicht abgeholt",
                      "fr": "le transporteur n'a pas enlevé l'envoi"},
    "shipment_update": {"en": "your shipment is delayed", "nl": "uw zending is vertraagd",
                        "de": "Ihre Sendung verspätet sich", "fr": "votre envoi est retardé"},
    "proof_of_delivery": {"en": "your delivery arrived short or damaged",
                          "nl": "uw levering was onvolledig of beschadigd",
                          "de": "Ihre Lieferung war unvollständig oder beschädigt",
                          "fr": "votre livraison était incomplète ou endommagée"},
    "credit_block": {"en": "your account is on hold", "nl": "uw account staat geblokkeerd",
                     "de": "Ihr Kundenkonto ist gesperrt", "fr": "votre compte est bloqué"},
    "master_data_error": {"en": "a delivery address needs checking", "nl": "een afleveradres moet gecontroleerd worden",
                          "de": "eine Lieferadresse muss geprüft werden", "fr": "une adresse de livraison doit être vérifiée"},
}

DONE: dict[str, dict[str, str]] = {
    "substitute_item": {"en": "we replaced {items} with an equivalent product at the price you ordered",
                        "nl": "we vervangen {items} door een gelijkwaardig product tegen de bestelde prijs",
                        "de": "wir ersetzen {items} durch ein gleichwertiges Produkt zum bestellten Preis",
                        "fr": "nous remplaçons {items} par un produit équivalent au prix commandé"},
    "change_warehouse": {"en": "we ship from our {warehouse} warehouse instead",
                         "nl": "we leveren vanuit ons magazijn {warehouse}",
                         "de": "wir liefern stattdessen aus unserem Lager {warehouse}",
                         "fr": "nous expédions depuis notre entrepôt {warehouse}"},
    "split_delivery": {"en": "we deliver the rest now and the affected items on {date}",
                       "nl": "we leveren de rest nu en de getroffen artikelen op {date}",
                       "de": "wir liefern den Rest jetzt und die betroffenen Artikel am {date}",
                       "fr": "nous livrons le reste maintenant et les articles concernés le {date}"},
    "change_carrier": {"en": "we rebooked it with another carrier, arriving {date}",
                       "nl": "we hebben een andere vervoerder ingezet, levering {date}",
                       "de": "wir haben einen anderen Spediteur beauftragt, Lieferung am {date}",
                       "fr": "nous avons choisi un autre transporteur, livraison le {date}"},
    "new_delivery_window": {"en": "the new delivery date is {date}", "nl": "de nieuwe leverdatum is {date}",
                            "de": "der neue Liefertermin ist der {date}",
                            "fr": "la nouvelle date de livraison est le {date}"},
    "emergency_delivery": {"en": "we are arranging an emergency delivery on {date}",
                           "nl": "we regelen een spoedlevering op {date}",
                           "de": "wir organisieren eine Eillieferung am {date}",
                           "fr": "nous organisons une livraison express le {date}"},
    "free_goods": {"en": "we are sending replacement goods free of charge",
                   "nl": "we sturen kosteloos vervangende goederen",
                   "de": "wir senden kostenlos Ersatzware", "fr": "nous envoyons gratuitement des marchandises de remplacement"},
    "checking": {"en": "our team is working on it and will confirm the new date",
                 "nl": "ons team werkt eraan en bevestigt de nieuwe datum",
                 "de": "unser Team arbeitet daran und bestätigt den neuen Termin",
                 "fr": "notre équipe s'en occupe et confirmera la nouvelle date"},
}

TEXT: dict[str, dict[str, str]] = {
    "subject": {"en": "Update on your order {orders}", "nl": "Update over uw bestelling {orders}",
                "de": "Neuigkeiten zu Ihrer Bestellung {orders}", "fr": "Information sur votre commande {orders}"},
    "greeting": {"en": "Dear {name},", "nl": "Beste {name},", "de": "Sehr geehrte Damen und Herren von {name},",
                 "fr": "Madame, Monsieur ({name}),"},
    "happened": {"en": "We want to let you know before your delivery date: {cause}.",
                 "nl": "We laten het u graag vóór uw leverdatum weten: {cause}.",
                 "de": "Wir möchten Sie vor Ihrem Liefertermin informieren: {cause}.",
                 "fr": "Nous souhaitons vous prévenir avant votre date de livraison : {cause}."},
    "order": {"en": "Order {order} (promised {promised}): {done}.", "nl": "Bestelling {order} (beloofd {promised}): {done}.",
              "de": "Bestellung {order} (zugesagt {promised}): {done}.",
              "fr": "Commande {order} (promise le {promised}) : {done}."},
    "choose": {"en": "You can choose: {options}. Just reply to this message.",
               "nl": "U kunt kiezen: {options}. Beantwoord gewoon dit bericht.",
               "de": "Sie können wählen: {options}. Antworten Sie einfach auf diese Nachricht.",
               "fr": "Vous pouvez choisir : {options}. Il suffit de répondre à ce message."},
    "accept": {"en": "accept this", "nl": "dit accepteren", "de": "dies annehmen", "fr": "accepter cette solution"},
    "cancel": {"en": "cancel the affected items", "nl": "de getroffen artikelen annuleren",
               "de": "die betroffenen Artikel stornieren", "fr": "annuler les articles concernés"},
    "or": {"en": "or", "nl": "of", "de": "oder", "fr": "ou"},
    "regards": {"en": "Kind regards, customer service", "nl": "Met vriendelijke groet, klantenservice",
                "de": "Mit freundlichen Grüßen, Kundenservice", "fr": "Cordialement, le service client"},
}


@dataclass(frozen=True, slots=True)
class OrderNotice:
    """One affected order in a notice: what was done (a remedy kind and its details) and pending options."""

    order_id: str
    promised: date
    remedy: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)
    pending: tuple[tuple[str, Mapping[str, str]], ...] = ()


def language_of(language: str | None) -> str:
    code = (language or "en").lower()[:2]
    return code if code in LANGUAGES else "en"


def _phrase(table: Mapping[str, Mapping[str, str]], key: str, lang: str, **values: str) -> str:
    template = table.get(key, table.get("checking", {})).get(lang) or table[key]["en"]
    return template.format_map({"date": "", "items": "", "warehouse": "", "carrier": "", **values})


def render_notice(language: str, customer_name: str, cause: str, orders: list[OrderNotice]) -> tuple[str, str]:
    """Subject and body of a disruption notice in ``language``."""
    lang = language_of(language)
    ids = ", ".join(o.order_id for o in orders)
    lines = [TEXT["greeting"][lang].format(name=customer_name), "",
             TEXT["happened"][lang].format(cause=CAUSE.get(cause, CAUSE["shipment_update"])[lang]), ""]
    options = [TEXT["accept"][lang]]
    for o in orders:
        done = _phrase(DONE, o.remedy or "checking", lang, **dict(o.details))
        lines.append(TEXT["order"][lang].format(order=o.order_id, promised=o.promised.isoformat(), done=done))
        options += [_phrase(DONE, kind, lang, **dict(details)) for kind, details in o.pending]
    options.append(TEXT["cancel"][lang])
    choice = ", ".join(options[:-1]) + f" {TEXT['or'][lang]} " + options[-1]
    lines += ["", TEXT["choose"][lang].format(options=choice), "", TEXT["regards"][lang]]
    return TEXT["subject"][lang].format(orders=ids), "\n".join(lines)
