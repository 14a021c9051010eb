"""Replies about a customer's balance, payments and held orders, and the replies a member of staff gets.

Customer replies are short sentences in the customer's language, filled with values from the records;
staff replies (``staff_*``) may list accounts, since the reader works the queues.
"""

from __future__ import annotations

ACCOUNT_TEMPLATES: dict[str, dict[str, str]] = {
    "open_invoices": {
        "en": "You have {count} open invoices, {total} in all. {invoices}{more} I can e-mail you the PDF of "
        'any of them: just say which one (for example "send me a copy of the first one").',
        "nl": "U hebt {count} openstaande facturen, samen {total}. {invoices}{more} Ik kan u de pdf van elk "
        'ervan mailen: zeg maar welke (bijvoorbeeld "stuur me een kopie van de eerste").',
        "fr": "Vous avez {count} factures ouvertes, {total} au total. {invoices}{more} Je peux vous envoyer "
        "le PDF de chacune : dites-moi laquelle (par exemple « envoyez-moi une copie de la première »).",
        "de": "Sie haben {count} offene Rechnungen, zusammen {total}. {invoices}{more} Ich kann Ihnen das "
        'PDF jeder davon mailen: sagen Sie einfach, welche (zum Beispiel "schicken Sie mir eine Kopie '
        'der ersten").',
    },
    "open_invoice_one": {
        "en": 'You have one open invoice. {invoices} I can e-mail you its PDF: just say "send me a copy".',
        "nl": 'U hebt één openstaande factuur. {invoices} Ik kan u de pdf mailen: zeg "stuur me een kopie".',
        "fr": "Vous avez une facture ouverte. {invoices} Je peux vous envoyer son PDF : dites « envoyez-moi "
        "une copie ».",
        "de": "Sie haben eine offene Rechnung. {invoices} Ich kann Ihnen das PDF mailen: sagen Sie einfach "
        '"schicken Sie mir eine Kopie".',
    },
    "open_invoice_overdue": {
        "en": "{invoice} for {amount} was due on {due} and is {days} days overdue.",
        "nl": "{invoice} van {amount} vervaldag {due}, is {days} dagen te laat.",
        "fr": "{invoice} de {amount}, échue le {due}, est en retard de {days} jours.",
        "de": "{invoice} über {amount} war am {due} fällig und ist {days} Tage überfällig.",
    },
    "open_invoice_due": {
        "en": "{invoice} for {amount} is due on {due}.",
        "nl": "{invoice} van {amount} vervalt op {due}.",
        "fr": "{invoice} de {amount} est à payer le {due}.",
        "de": "{invoice} über {amount} ist am {due} fällig.",
    },
    "more_invoices": {
        "en": " And {count} more.",
        "nl": " En nog {count}.",
        "fr": " Et {count} autres.",
        "de": " Und {count} weitere.",
    },
    "no_open_invoices": {
        "en": "All your invoices are paid: nothing is open on your account.",
        "nl": "Al uw facturen zijn betaald: er staat niets open.",
        "fr": "Toutes vos factures sont payées : rien n'est ouvert sur votre compte.",
        "de": "Alle Ihre Rechnungen sind bezahlt: nichts ist offen.",
    },
    "payment_summary": {
        "en": "{summary} {last}",
        "nl": "{summary} {last}",
        "fr": "{summary} {last}",
        "de": "{summary} {last}",
    },
    "open_summary": {
        "en": "You have {count} open invoices, {total} in all.",
        "nl": "U hebt {count} openstaande facturen, samen {total}.",
        "fr": "Vous avez {count} factures ouvertes, {total} au total.",
        "de": "Sie haben {count} offene Rechnungen, zusammen {total}.",
    },
    "nothing_open": {
        "en": "Nothing is open on your account.",
        "nl": "Er staat niets open op uw account.",
        "fr": "Rien n'est ouvert sur votre compte.",
        "de": "Auf Ihrem Konto ist nichts offen.",
    },
    "last_payment": {
        "en": "The last payment we received was {amount} on {date}.",
        "nl": "De laatste betaling die we ontvingen was {amount} op {date}.",
        "fr": "Le dernier paiement reçu est de {amount}, le {date}.",
        "de": "Die letzte Zahlung, die wir erhalten haben: {amount} am {date}.",
    },
    "no_payment_yet": {
        "en": "We have not received a payment from you yet.",
        "nl": "We hebben nog geen betaling van u ontvangen.",
        "fr": "Nous n'avons pas encore reçu de paiement de votre part.",
        "de": "Wir haben noch keine Zahlung von Ihnen erhalten.",
    },
    "payment_seen": {
        "en": "Thank you: {invoice} is paid in full.",
        "nl": "Dank u: {invoice} is volledig betaald.",
        "fr": "Merci : {invoice} est entièrement payée.",
        "de": "Danke: {invoice} ist vollständig bezahlt.",
    },
    "payment_partly": {
        "en": "We received part of {invoice}; {amount} is still open.",
        "nl": "We ontvingen een deel van {invoice}; {amount} staat nog open.",
        "fr": "Nous avons reçu une partie de {invoice} ; {amount} reste ouvert.",
        "de": "Wir haben einen Teil von {invoice} erhalten; {amount} ist noch offen.",
    },
    "payment_not_seen": {
        "en": "We have not seen the payment of {invoice} ({amount}) yet. A transfer usually shows within two "
        "working days; as soon as it arrives we apply it.",
        "nl": "De betaling van {invoice} ({amount}) zien we nog niet. Een overschrijving komt meestal binnen "
        "twee werkdagen binnen; zodra ze er is, boeken we ze.",
        "fr": "Nous ne voyons pas encore le paiement de {invoice} ({amount}). Un virement arrive en général "
        "sous deux jours ouvrés ; dès réception, nous l'imputons.",
        "de": "Die Zahlung für {invoice} ({amount}) sehen wir noch nicht. Eine Überweisung kommt meist "
        "innerhalb von zwei Werktagen an; sobald sie da ist, verbuchen wir sie.",
    },
    "hold_explained": {
        "en": "{orders} They are held because {why}. {release}",
        "nl": "{orders} Ze worden tegengehouden omdat {why}. {release}",
        "fr": "{orders} Elles sont bloquées parce que {why}. {release}",
        "de": "{orders} Sie sind zurückgehalten, weil {why}. {release}",
    },
    "held_credit": {
        "en": "Order {order} ({amount}) is on hold after our credit check.",
        "nl": "Bestelling {order} ({amount}) staat vast na onze kredietcontrole.",
        "fr": "La commande {order} ({amount}) est bloquée après notre contrôle de crédit.",
        "de": "Bestellung {order} ({amount}) ist nach unserer Kreditprüfung angehalten.",
    },
    "held_new_date": {
        "en": "Order {order} waits for stock after a supply problem; we have planned it for {date}.",
        "nl": "Bestelling {order} wacht op voorraad na een leveringsprobleem; we plannen ze op {date}.",
        "fr": "La commande {order} attend du stock après un problème d'approvisionnement ; prévue le {date}.",
        "de": "Bestellung {order} wartet nach einem Lieferengpass auf Ware; geplant ist der {date}.",
    },
    "held_checking": {
        "en": "Order {order} is being checked by our team.",
        "nl": "Bestelling {order} wordt door ons team nagekeken.",
        "fr": "La commande {order} est en cours de vérification.",
        "de": "Bestellung {order} wird von uns geprüft.",
    },
    "hold_other": {
        "en": "{orders} None of your orders is held for credit reasons.",
        "nl": "{orders} Geen van uw bestellingen staat vast om kredietredenen.",
        "fr": "{orders} Aucune de vos commandes n'est bloquée pour une raison de crédit.",
        "de": "{orders} Keine Ihrer Bestellungen ist aus Kreditgründen angehalten.",
    },
    "no_hold": {
        "en": "None of your orders is on hold at the moment.",
        "nl": "Geen van uw bestellingen staat nu vast.",
        "fr": "Aucune de vos commandes n'est bloquée pour le moment.",
        "de": "Zurzeit ist keine Ihrer Bestellungen angehalten.",
    },
    "hold_overdue": {
        "en": "{amount} is overdue by more than our 30 days' grace (the oldest invoice {days} days)",
        "nl": "{amount} langer dan onze 30 dagen marge achterstaat (de oudste factuur {days} dagen)",
        "fr": "{amount} est en retard de plus de nos 30 jours de tolérance (la plus ancienne de {days} jours)",
        "de": "{amount} länger als unsere 30 Tage Toleranz überfällig ist (die älteste Rechnung {days} Tage)",
    },
    "hold_over_limit": {
        "en": "your balance with open orders, {total}, is above your credit limit of {limit}",
        "nl": "uw saldo met open bestellingen, {total}, boven uw kredietlimiet van {limit} ligt",
        "fr": "votre encours avec les commandes ouvertes, {total}, dépasse votre limite de crédit de {limit}",
        "de": "Ihr Saldo mit offenen Bestellungen, {total}, über Ihrem Kreditlimit von {limit} liegt",
    },
    "hold_cleared": {
        "en": "of the credit check when they came in; your account is now within its limits, so their release "
        "is under way",
        "nl": "van de kredietcontrole bij ontvangst; uw account is nu binnen de limieten, de vrijgave loopt",
        "fr": "du contrôle de crédit à leur arrivée ; votre compte est maintenant dans ses limites, la "
        "libération est en cours",
        "de": "der Kreditprüfung beim Eingang; Ihr Konto ist jetzt im Rahmen, die Freigabe läuft",
    },
    "release_how": {
        "en": "They are released as soon as we see the overdue payment, or once you agree a payment date "
        "with our credit team, who can then release them.",
        "nl": "Ze worden vrijgegeven zodra we de achterstallige betaling zien, of zodra u een betaaldatum "
        "afspreekt met ons kredietteam, dat ze dan kan vrijgeven.",
        "fr": "Elles sont libérées dès que nous voyons le paiement en retard, ou dès que vous convenez d'une "
        "date de paiement avec notre équipe crédit, qui peut alors les libérer.",
        "de": "Sie werden freigegeben, sobald wir die überfällige Zahlung sehen, oder sobald Sie mit unserem "
        "Kreditteam einen Zahlungstermin vereinbaren, das sie dann freigeben kann.",
    },
    "release_promise": {
        "en": "We have your promise to pay {amount} by {date} on record; our credit team reviews the hold "
        "with it, and the payment releases the orders as soon as we see it.",
        "nl": "Uw betaalbelofte van {amount} tegen {date} is genoteerd; ons kredietteam bekijkt de blokkering "
        "daarmee, en de betaling geeft de bestellingen vrij zodra we ze zien.",
        "fr": "Votre promesse de payer {amount} d'ici le {date} est enregistrée ; notre équipe crédit revoit "
        "le blocage avec elle, et le paiement libère les commandes dès réception.",
        "de": "Ihre Zahlungszusage über {amount} bis {date} ist vermerkt; unser Kreditteam prüft die Sperre "
        "damit, und die Zahlung gibt die Bestellungen frei, sobald wir sie sehen.",
    },
    "order_late": {
        "en": "Delivery {delivery} with {carrier} was expected on {date} and is {days} days late; we are "
        "chasing {carrier} for a new date and will tell you as soon as we have it.",
        "nl": "Levering {delivery} met {carrier} werd verwacht op {date} en is {days} dagen te laat; we vragen "
        "{carrier} om een nieuwe datum en laten u die meteen weten.",
        "fr": "La livraison {delivery} avec {carrier} était prévue le {date} et a {days} jours de retard ; nous "
        "relançons {carrier} pour une nouvelle date et vous la communiquons dès que possible.",
        "de": "Lieferung {delivery} mit {carrier} war für den {date} erwartet und ist {days} Tage verspätet; "
        "wir fragen bei {carrier} einen neuen Termin an und sagen ihn Ihnen sofort.",
    },
    "delivery_not_shipped": {
        "en": "It was planned for {date} and has not left our warehouse yet; we are checking the stock and "
        "will give you a new date.",
        "nl": "Ze was gepland op {date} en heeft ons magazijn nog niet verlaten; we kijken de voorraad na en "
        "geven u een nieuwe datum.",
        "fr": "Elle était prévue le {date} et n'a pas encore quitté notre entrepôt ; nous vérifions le stock "
        "et vous donnons une nouvelle date.",
        "de": "Sie war für den {date} geplant und hat unser Lager noch nicht verlassen; wir prüfen den Bestand "
        "und nennen Ihnen einen neuen Termin.",
    },
    "staff_invoices": {
        "en": "Invoices of {customer} ({name}):\n{invoices}",
        "nl": "Facturen van {customer} ({name}):\n{invoices}",
        "fr": "Factures de {customer} ({name}) :\n{invoices}",
        "de": "Rechnungen von {customer} ({name}):\n{invoices}",
    },
    "staff_invoice_line": {
        "en": "- {invoice} of {date}: {gross}, open {open}, due {due}{late}",
        "nl": "- {invoice} van {date}: {gross}, open {open}, vervalt {due}{late}",
        "fr": "- {invoice} du {date} : {gross}, ouvert {open}, échéance {due}{late}",
        "de": "- {invoice} vom {date}: {gross}, offen {open}, fällig {due}{late}",
    },
    "staff_account": {
        "en": "{customer} ({name}): open {open}, overdue {overdue}, credit limit {limit}; {held} order(s) on "
        "hold.",
        "nl": "{customer} ({name}): open {open}, achterstallig {overdue}, kredietlimiet {limit}; {held} "
        "bestelling(en) vastgehouden.",
        "fr": "{customer} ({name}) : ouvert {open}, en retard {overdue}, limite de crédit {limit} ; {held} "
        "commande(s) bloquée(s).",
        "de": "{customer} ({name}): offen {open}, überfällig {overdue}, Kreditlimit {limit}; {held} "
        "Bestellung(en) angehalten.",
    },
    "staff_holds": {
        "en": "Customers with orders on hold:\n{holds}",
        "nl": "Klanten met vastgehouden bestellingen:\n{holds}",
        "fr": "Clients avec des commandes bloquées :\n{holds}",
        "de": "Kunden mit angehaltenen Bestellungen:\n{holds}",
    },
    "staff_hold_line": {
        "en": "- {customer} ({name}): {orders} — {reason}",
        "nl": "- {customer} ({name}): {orders} — {reason}",
        "fr": "- {customer} ({name}) : {orders} — {reason}",
        "de": "- {customer} ({name}): {orders} — {reason}",
    },
    "staff_no_holds": {
        "en": "No customer has an order on hold.",
        "nl": "Geen enkele klant heeft een bestelling vastgehouden.",
        "fr": "Aucun client n'a de commande bloquée.",
        "de": "Kein Kunde hat eine angehaltene Bestellung.",
    },
    "staff_unknown_customer": {
        "en": "There is no customer {customer}.",
        "nl": "Klant {customer} bestaat niet.",
        "fr": "Le client {customer} n'existe pas.",
        "de": "Kunde {customer} gibt es nicht.",
    },
    "staff_knowledge": {
        "en": "{answer}\n(Source: {source})",
        "nl": "{answer}\n(Bron: {source})",
        "fr": "{answer}\n(Source : {source})",
        "de": "{answer}\n(Quelle: {source})",
    },
    "staff_unknown": {
        "en": "{answer}",
        "nl": "{answer}",
        "fr": "{answer}",
        "de": "{answer}",
    },
}
