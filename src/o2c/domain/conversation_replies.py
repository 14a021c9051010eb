"""The customer-service agent's replies: fixed templates in English, Dutch, French and German.

Every reply a customer gets is one of these, filled with values taken from the records (already
formatted for the customer's language). A template never receives text the customer wrote except the
document numbers they typed, so nothing a customer says can be made to come back as the company's
words. ``reply`` falls back to English for a language without its own text.
"""

from __future__ import annotations

from o2c.domain.conversation_replies_accounts import ACCOUNT_TEMPLATES

TEMPLATES: dict[str, dict[str, str]] = {
    "identify": {
        "en": "I cannot see who you are yet. Please log in, or write to us from the e-mail address we have "
              "on file, and I will look at your account.",
        "nl": "Ik weet nog niet wie u bent. Log in of schrijf ons vanaf het e-mailadres dat bij ons bekend "
              "is, dan kijk ik in uw account.",
        "fr": "Je ne sais pas encore qui vous êtes. Connectez-vous, ou écrivez-nous depuis l'adresse e-mail "
              "que nous avons enregistrée, et je consulterai votre compte.",
        "de": "Ich weiß noch nicht, wer Sie sind. Bitte melden Sie sich an oder schreiben Sie uns von der "
              "bei uns hinterlegten E-Mail-Adresse, dann sehe ich in Ihr Konto.",
    },
    "verify": {
        "en": "To protect your account, please confirm your postcode, VAT number or one of your order or "
              "invoice numbers.",
        "nl": "Ter bescherming van uw account: bevestig uw postcode, btw-nummer of een van uw order- of "
              "factuurnummers.",
        "fr": "Pour protéger votre compte, merci de confirmer votre code postal, votre numéro de TVA ou l'un "
              "de vos numéros de commande ou de facture.",
        "de": "Zum Schutz Ihres Kontos bestätigen Sie bitte Ihre Postleitzahl, USt-IdNr. oder eine Ihrer "
              "Bestell- oder Rechnungsnummern.",
    },
    "clarify": {
        "en": "I am not sure I understood. Is it about an order (status, new order, change, cancel), an "
              "invoice (copy or amount), a payment, a problem with a delivery, delivery options, or would "
              "you like to talk to a person?",
        "nl": "Ik weet niet zeker of ik u begrijp. Gaat het om een bestelling (status, nieuw, wijzigen, "
              "annuleren), een factuur (kopie of bedrag), een betaling, een probleem met een levering, "
              "leveropties, of wilt u iemand spreken?",
        "fr": "Je ne suis pas sûr d'avoir compris. S'agit-il d'une commande (suivi, nouvelle, modification, "
              "annulation), d'une facture (copie ou montant), d'un paiement, d'un problème de livraison, "
              "des options de livraison, ou souhaitez-vous parler à quelqu'un ?",
        "de": "Ich bin nicht sicher, ob ich Sie verstanden habe. Geht es um eine Bestellung (Status, neu, "
              "ändern, stornieren), eine Rechnung (Kopie oder Betrag), eine Zahlung, ein Problem mit einer "
              "Lieferung, Lieferoptionen, oder möchten Sie mit jemandem sprechen?",
    },
    "handed_over": {
        "en": "I am passing your question to a colleague ({ref}), who will get back to you.",
        "nl": "Ik geef uw vraag door aan een collega ({ref}), die contact met u opneemt.",
        "fr": "Je transmets votre question à un collègue ({ref}), qui reviendra vers vous.",
        "de": "Ich gebe Ihre Frage an einen Kollegen weiter ({ref}), der sich bei Ihnen meldet.",
    },
    "person": {
        "en": "Of course. I have asked a colleague to contact you ({ref}).",
        "nl": "Natuurlijk. Ik heb een collega gevraagd contact met u op te nemen ({ref}).",
        "fr": "Bien sûr. J'ai demandé à un collègue de vous contacter ({ref}).",
        "de": "Gern. Ich habe einen Kollegen gebeten, Sie zu kontaktieren ({ref}).",
    },
    "refund_task": {
        "en": "A refund from us is made as a credit note. I have passed your request to a colleague in "
              "accounts receivable ({ref}), who will check it and come back to you.",
        "nl": "Een terugbetaling doen wij met een creditnota. Ik heb uw verzoek doorgegeven aan een collega "
              "van debiteurenbeheer ({ref}), die het nakijkt en contact met u opneemt.",
        "fr": "Un remboursement se fait chez nous par un avoir. J'ai transmis votre demande à un collègue de "
              "la comptabilité clients ({ref}), qui la vérifiera et reviendra vers vous.",
        "de": "Eine Erstattung erfolgt bei uns als Gutschrift. Ich habe Ihre Anfrage an einen Kollegen der "
              "Debitorenbuchhaltung weitergegeben ({ref}), der sie prüft und sich meldet.",
    },
    "refund_opened": {
        "en": "I have opened a case for {amount} on invoice {invoice}; if it is accepted you receive a "
              "credit note for it.",
        "nl": "Ik heb een dossier geopend voor {amount} op factuur {invoice}; wordt het aanvaard, dan "
              "ontvangt u er een creditnota voor.",
        "fr": "J'ai ouvert un dossier de {amount} sur la facture {invoice} ; s'il est accepté, vous recevrez "
              "un avoir.",
        "de": "Ich habe einen Fall über {amount} zur Rechnung {invoice} eröffnet; wird er anerkannt, "
              "erhalten Sie eine Gutschrift.",
    },
    "details_task": {
        "en": "Changes to your company details are made by a colleague, who has your request now ({ref}) "
              "and will confirm the change with you.",
        "nl": "Wijzigingen in uw bedrijfsgegevens voert een collega door; die heeft uw verzoek nu ({ref}) "
              "en bevestigt de wijziging met u.",
        "fr": "Les changements de vos coordonnées sont faits par un collègue, qui a maintenant votre "
              "demande ({ref}) et vous confirmera le changement.",
        "de": "Änderungen Ihrer Firmendaten nimmt ein Kollege vor; er hat Ihre Anfrage jetzt ({ref}) und "
              "bestätigt Ihnen die Änderung.",
    },
    "complaint_logged": {
        "en": "I am sorry to hear that. I have recorded your complaint for a colleague ({ref}), who will "
              "contact you about it.",
        "nl": "Dat spijt me. Ik heb uw klacht vastgelegd voor een collega ({ref}), die contact met u "
              "opneemt.",
        "fr": "Je suis désolé. J'ai enregistré votre plainte pour un collègue ({ref}), qui vous "
              "contactera.",
        "de": "Das tut mir leid. Ich habe Ihre Beschwerde für einen Kollegen aufgenommen ({ref}), der sich "
              "bei Ihnen meldet.",
    },
    "account_help": {
        "en": "For the ordering portal: use 'Forgot password' on the login page to get a reset link by "
              "e-mail (check your spam folder); after five wrong tries the account is locked for 30 "
              "minutes. New users and access rights are set by your company's portal administrator. If "
              "that does not help, ask for a colleague and we will look at your login.",
        "nl": "Voor het bestelportaal: gebruik 'Wachtwoord vergeten' op de inlogpagina voor een resetlink "
              "per e-mail (kijk ook in uw spam); na vijf foute pogingen is het account 30 minuten "
              "geblokkeerd. Nieuwe gebruikers en rechten zet de portaalbeheerder van uw bedrijf. Helpt "
              "dat niet, vraag dan naar een collega en we bekijken uw login.",
        "fr": "Pour le portail de commande : utilisez « Mot de passe oublié » sur la page de connexion pour "
              "recevoir un lien par e-mail (vérifiez vos spams) ; après cinq essais erronés, le compte est "
              "bloqué 30 minutes. Les nouveaux utilisateurs et les droits sont gérés par l'administrateur "
              "du portail de votre société. Sinon, demandez un collègue et nous regarderons votre accès.",
        "de": "Für das Bestellportal: Über 'Passwort vergessen' auf der Anmeldeseite erhalten Sie einen "
              "Link per E-Mail (auch im Spam nachsehen); nach fünf Fehlversuchen ist das Konto 30 Minuten "
              "gesperrt. Neue Benutzer und Rechte vergibt der Portal-Administrator Ihrer Firma. Hilft das "
              "nicht, fragen Sie nach einem Kollegen, und wir prüfen Ihren Zugang.",
    },
    "not_found": {
        "en": "I cannot find {refs} on your account. Please check the number.",
        "nl": "Ik kan {refs} niet vinden in uw account. Wilt u het nummer controleren?",
        "fr": "Je ne trouve pas {refs} sur votre compte. Merci de vérifier le numéro.",
        "de": "Ich finde {refs} nicht in Ihrem Konto. Bitte prüfen Sie die Nummer.",
    },
    "order_status": {
        "en": "Here is where your orders stand. {orders}",
        "nl": "Zo staan uw bestellingen ervoor. {orders}",
        "fr": "Voici où en sont vos commandes. {orders}",
        "de": "So steht es um Ihre Bestellungen. {orders}",
    },
    "order_line": {
        "en": "{order} ({po}ordered {ordered}) is {status}. {deliveries}",
        "nl": "{order} ({po}besteld {ordered}) is {status}. {deliveries}",
        "fr": "La commande {order} ({po}du {ordered}) est {status}. {deliveries}",
        "de": "{order} ({po}bestellt am {ordered}) ist {status}. {deliveries}",
    },
    "delivery_on_way": {
        "en": "Delivery {delivery} with {carrier} is on its way, expected {date}.",
        "nl": "Levering {delivery} met {carrier} is onderweg, verwacht op {date}.",
        "fr": "La livraison {delivery} avec {carrier} est en route, prévue le {date}.",
        "de": "Lieferung {delivery} mit {carrier} ist unterwegs, erwartet am {date}.",
    },
    "delivery_done": {
        "en": "Delivery {delivery} with {carrier} was delivered on {date}.",
        "nl": "Levering {delivery} met {carrier} is geleverd op {date}.",
        "fr": "La livraison {delivery} avec {carrier} a été livrée le {date}.",
        "de": "Lieferung {delivery} mit {carrier} wurde am {date} zugestellt.",
    },
    "delivery_planned": {
        "en": "Planned delivery date: {date}.",
        "nl": "Geplande leverdatum: {date}.",
        "fr": "Date de livraison prévue : {date}.",
        "de": "Geplanter Liefertermin: {date}.",
    },
    "no_orders": {
        "en": "I see no open orders on your account.",
        "nl": "Ik zie geen openstaande bestellingen in uw account.",
        "fr": "Je ne vois aucune commande en cours sur votre compte.",
        "de": "Ich sehe keine offenen Bestellungen in Ihrem Konto.",
    },
    "delivery_options": {
        "en": "We deliver to: {ship_tos}. Carriers to your country: {carriers}. An order placed today can "
              "arrive from {earliest}.",
        "nl": "Wij leveren op: {ship_tos}. Vervoerders naar uw land: {carriers}. Een bestelling van vandaag "
              "kan vanaf {earliest} geleverd worden.",
        "fr": "Nous livrons à : {ship_tos}. Transporteurs vers votre pays : {carriers}. Une commande passée "
              "aujourd'hui peut arriver à partir du {earliest}.",
        "de": "Wir liefern an: {ship_tos}. Spediteure in Ihr Land: {carriers}. Eine heute aufgegebene "
              "Bestellung kann ab {earliest} eintreffen.",
    },
    "delivery_options_general": {
        "en": "We deliver with our own carriers, usually within 1 to 3 working days. Log in to see the "
              "options for your delivery addresses.",
        "nl": "Wij leveren met onze vervoerders, meestal binnen 1 tot 3 werkdagen. Log in om de opties voor "
              "uw afleveradressen te zien.",
        "fr": "Nous livrons avec nos transporteurs, en général sous 1 à 3 jours ouvrés. Connectez-vous pour "
              "voir les options pour vos adresses de livraison.",
        "de": "Wir liefern mit unseren Spediteuren, meist innerhalb von 1 bis 3 Werktagen. Melden Sie sich "
              "an, um die Optionen für Ihre Lieferadressen zu sehen.",
    },
    "copy_sent": {
        "en": "A copy of {documents} (PDF and e-invoice) is on its way to {email}.",
        "nl": "Een kopie van {documents} (pdf en e-factuur) is onderweg naar {email}.",
        "fr": "Une copie de {documents} (PDF et facture électronique) est en route vers {email}.",
        "de": "Eine Kopie von {documents} (PDF und E-Rechnung) ist unterwegs an {email}.",
    },
    "no_invoices": {
        "en": "I find no invoices on your account.",
        "nl": "Ik vind geen facturen in uw account.",
        "fr": "Je ne trouve aucune facture sur votre compte.",
        "de": "Ich finde keine Rechnungen in Ihrem Konto.",
    },
    "invoice_explained": {
        "en": "Invoice {invoice} of {date}:\n{lines}\nNet {net}, VAT {tax}, total {gross}. These are the "
              "prices of your price list and the promotions on the order date. If something still looks "
              "wrong, tell me what and I will pass it on.",
        "nl": "Factuur {invoice} van {date}:\n{lines}\nNetto {net}, btw {tax}, totaal {gross}. Dit zijn de "
              "prijzen van uw prijslijst en de acties op de besteldatum. Klopt er toch iets niet, laat me "
              "weten wat, dan geef ik het door.",
        "fr": "Facture {invoice} du {date} :\n{lines}\nHT {net}, TVA {tax}, TTC {gross}. Ce sont les prix "
              "de votre tarif et les promotions à la date de commande. Si quelque chose vous semble encore "
              "faux, dites-moi quoi et je le transmettrai.",
        "de": "Rechnung {invoice} vom {date}:\n{lines}\nNetto {net}, MwSt. {tax}, gesamt {gross}. Das sind "
              "die Preise Ihrer Preisliste und die Aktionen am Bestelldatum. Wenn etwas trotzdem nicht "
              "stimmt, sagen Sie mir was, und ich gebe es weiter.",
    },
    "invoice_line": {
        "en": "- {quantity} x {product} at {price} (list {list}{promotion}) = {amount}",
        "nl": "- {quantity} x {product} à {price} (lijst {list}{promotion}) = {amount}",
        "fr": "- {quantity} x {product} à {price} (tarif {list}{promotion}) = {amount}",
        "de": "- {quantity} x {product} zu {price} (Liste {list}{promotion}) = {amount}",
    },
    "invoice_query_opened": {
        "en": "You are right to ask: on {invoice} {findings}. I have opened case {ref} to correct it; we "
              "will get back to you.",
        "nl": "Terechte vraag: op {invoice} {findings}. Ik heb dossier {ref} geopend om het te corrigeren; "
              "wij komen erop terug.",
        "fr": "Bonne question : sur {invoice} {findings}. J'ai ouvert le dossier {ref} pour le corriger ; "
              "nous revenons vers vous.",
        "de": "Zu Recht gefragt: auf {invoice} {findings}. Ich habe Fall {ref} zur Korrektur eröffnet; wir "
              "melden uns.",
    },
    "price_finding": {
        "en": "{product} was billed at {billed} instead of {expected}",
        "nl": "{product} is gefactureerd tegen {billed} in plaats van {expected}",
        "fr": "{product} a été facturé {billed} au lieu de {expected}",
        "de": "{product} wurde mit {billed} statt {expected} berechnet",
    },
    "none": {"en": "- none", "nl": "- geen", "fr": "- aucun", "de": "- keine"},
    "problem_opened": {
        "en": "I am sorry about that. I have opened case {ref} for delivery {delivery} ({reason}) with its "
              "proof of delivery {pod}. A colleague will follow up.",
        "nl": "Vervelend, excuses. Ik heb dossier {ref} geopend voor levering {delivery} ({reason}) met het "
              "afleverbewijs {pod}. Een collega neemt het op.",
        "fr": "Désolé pour cela. J'ai ouvert le dossier {ref} pour la livraison {delivery} ({reason}) avec "
              "sa preuve de livraison {pod}. Un collègue assure le suivi.",
        "de": "Das tut mir leid. Ich habe Fall {ref} für Lieferung {delivery} ({reason}) mit dem "
              "Zustellnachweis {pod} eröffnet. Ein Kollege kümmert sich darum.",
    },
    "problem_which": {
        "en": "I am sorry to hear that. Which delivery is it about? Please give the order or invoice number.",
        "nl": "Vervelend om te horen. Om welke levering gaat het? Geef het order- of factuurnummer.",
        "fr": "Désolé de l'apprendre. De quelle livraison s'agit-il ? Merci d'indiquer le numéro de "
              "commande ou de facture.",
        "de": "Das tut mir leid. Um welche Lieferung geht es? Bitte nennen Sie die Bestell- oder "
              "Rechnungsnummer.",
    },
    "order_placed": {
        "en": "Thank you, order {ref} is booked: {lines}, delivery requested for {date}.",
        "nl": "Dank u, bestelling {ref} is geboekt: {lines}, levering gevraagd op {date}.",
        "fr": "Merci, la commande {ref} est enregistrée : {lines}, livraison demandée le {date}.",
        "de": "Danke, Bestellung {ref} ist gebucht: {lines}, Lieferung gewünscht am {date}.",
    },
    "order_what": {
        "en": "What would you like to order? Please give products and quantities, e.g. \"10 cases of cola\".",
        "nl": "Wat wilt u bestellen? Noem producten en aantallen, bijv. \"10 dozen cola\".",
        "fr": "Que souhaitez-vous commander ? Indiquez produits et quantités, p. ex. « 10 caisses de cola ».",
        "de": "Was möchten Sie bestellen? Bitte nennen Sie Produkte und Mengen, z. B. \"10 Kisten Cola\".",
    },
    "order_changed": {
        "en": "Order {order} is changed: {change}.",
        "nl": "Bestelling {order} is gewijzigd: {change}.",
        "fr": "La commande {order} est modifiée : {change}.",
        "de": "Bestellung {order} ist geändert: {change}.",
    },
    "change_what": {
        "en": "Which order should change, and how (product and new quantity, or a new date)?",
        "nl": "Welke bestelling wilt u wijzigen, en hoe (product en nieuw aantal, of een nieuwe datum)?",
        "fr": "Quelle commande faut-il modifier, et comment (produit et nouvelle quantité, ou nouvelle date) ?",
        "de": "Welche Bestellung soll sich ändern, und wie (Produkt und neue Menge oder ein neues Datum)?",
    },
    "cannot_change": {
        "en": "Order {order} is {status}, so it can no longer be changed or cancelled here. Ask me for a "
              "person if you need help with it.",
        "nl": "Bestelling {order} is {status} en kan hier niet meer gewijzigd of geannuleerd worden. Vraag "
              "naar een collega als u hulp nodig hebt.",
        "fr": "La commande {order} est {status} : elle ne peut plus être modifiée ni annulée ici. Demandez "
              "un collègue si vous avez besoin d'aide.",
        "de": "Bestellung {order} ist {status} und kann hier nicht mehr geändert oder storniert werden. "
              "Fragen Sie nach einem Kollegen, wenn Sie Hilfe brauchen.",
    },
    "cancel_which": {
        "en": "Which order should I cancel? Your open orders: {orders}.",
        "nl": "Welke bestelling moet ik annuleren? Uw open bestellingen: {orders}.",
        "fr": "Quelle commande dois-je annuler ? Vos commandes en cours : {orders}.",
        "de": "Welche Bestellung soll ich stornieren? Ihre offenen Bestellungen: {orders}.",
    },
    "order_cancelled": {
        "en": "Order {order} is cancelled.",
        "nl": "Bestelling {order} is geannuleerd.",
        "fr": "La commande {order} est annulée.",
        "de": "Bestellung {order} ist storniert.",
    },
    "action_pending": {
        "en": "Thank you. A colleague must approve this first ({ref}); you will hear from us.",
        "nl": "Dank u. Een collega moet dit eerst goedkeuren ({ref}); u hoort van ons.",
        "fr": "Merci. Un collègue doit d'abord l'approuver ({ref}) ; nous revenons vers vous.",
        "de": "Danke. Ein Kollege muss dies zuerst freigeben ({ref}); Sie hören von uns.",
    },
    "action_failed": {
        "en": "I could not do that automatically; a colleague will look at it and contact you ({ref}).",
        "nl": "Dat lukte niet automatisch; een collega bekijkt het en neemt contact op ({ref}).",
        "fr": "Je n'ai pas pu le faire automatiquement ; un collègue va regarder et vous contacter ({ref}).",
        "de": "Das ging nicht automatisch; ein Kollege sieht es sich an und meldet sich ({ref}).",
    },
    "other": {
        "en": "I can help with your orders, deliveries, invoices and payments. What would you like to know?",
        "nl": "Ik help u met uw bestellingen, leveringen, facturen en betalingen. Wat wilt u weten?",
        "fr": "Je peux vous aider pour vos commandes, livraisons, factures et paiements. Que souhaitez-vous "
              "savoir ?",
        "de": "Ich helfe Ihnen bei Bestellungen, Lieferungen, Rechnungen und Zahlungen. Was möchten Sie "
              "wissen?",
    },
    "injection": {
        "en": "I can only help with your orders, deliveries, invoices and payments within our usual rules; "
              "I cannot follow instructions to change those rules, and this message has been logged. "
              "Please tell me plainly what you need.",
        "nl": "Ik kan u alleen helpen met bestellingen, leveringen, facturen en betalingen binnen onze "
              "gewone regels; instructies om die regels te veranderen volg ik niet, en dit bericht is "
              "vastgelegd. Vertel me gewoon wat u nodig hebt.",
        "fr": "Je ne peux vous aider que pour vos commandes, livraisons, factures et paiements, selon nos "
              "règles habituelles ; je ne suis pas d'instructions visant à les changer, et ce message a été "
              "enregistré. Dites-moi simplement ce dont vous avez besoin.",
        "de": "Ich kann Ihnen nur bei Bestellungen, Lieferungen, Rechnungen und Zahlungen nach unseren "
              "üblichen Regeln helfen; Anweisungen, diese Regeln zu ändern, folge ich nicht, und diese "
              "Nachricht wurde protokolliert. Sagen Sie mir einfach, was Sie brauchen.",
    },
}

TEMPLATES.update(ACCOUNT_TEMPLATES)

WORDS: dict[str, dict[str, str]] = {
    "captured": {"en": "received", "nl": "ontvangen", "fr": "reçue", "de": "eingegangen"},
    "on_hold": {"en": "being checked by our team", "nl": "in controle bij ons team",
                "fr": "en cours de vérification", "de": "in Prüfung bei unserem Team"},
    "confirmed": {"en": "confirmed", "nl": "bevestigd", "fr": "confirmée", "de": "bestätigt"},
    "partly_delivered": {"en": "partly delivered", "nl": "deels geleverd", "fr": "livrée en partie",
                         "de": "teilweise geliefert"},
    "delivered": {"en": "delivered", "nl": "geleverd", "fr": "livrée", "de": "geliefert"},
    "cancelled": {"en": "cancelled", "nl": "geannuleerd", "fr": "annulée", "de": "storniert"},
    "shortage": {"en": "items missing", "nl": "ontbrekende artikelen", "fr": "articles manquants",
                 "de": "fehlende Artikel"},
    "damage": {"en": "damaged goods", "nl": "beschadigde goederen", "fr": "marchandise endommagée",
               "de": "beschädigte Ware"},
    "problem": {"en": "a problem with the delivery", "nl": "een probleem met de levering",
                "fr": "un problème de livraison", "de": "ein Problem mit der Lieferung"},
    "promotion": {"en": ", promotion {percent}%", "nl": ", actie {percent}%", "fr": ", promotion {percent} %",
                  "de": ", Aktion {percent} %"},
    "quantity_to": {"en": "{product} to {quantity}", "nl": "{product} naar {quantity}",
                    "fr": "{product} à {quantity}", "de": "{product} auf {quantity}"},
    "date_to": {"en": "delivery date {date}", "nl": "leverdatum {date}", "fr": "date de livraison {date}",
                "de": "Liefertermin {date}"},
    "po": {"en": "your ref. {po}, ", "nl": "uw ref. {po}, ", "fr": "votre réf. {po}, ", "de": "Ihre Ref. {po}, "},
    "email_fallback": {"en": "your e-mail address on file", "nl": "uw bekende e-mailadres",
                       "fr": "votre adresse e-mail enregistrée", "de": "Ihre hinterlegte E-Mail-Adresse"},
    "and": {"en": " and ", "nl": " en ", "fr": " et ", "de": " und "},
}


def _text(table: dict[str, dict[str, str]], key: str, language: str) -> str:
    variants = table[key]
    return variants.get(language, variants["en"])


def reply(key: str, language: str, **values: str) -> str:
    """The template ``key`` in ``language`` (English when missing), filled with ``values``."""
    return _text(TEMPLATES, key, language).format(**values)


def word(key: str, language: str, **values: str) -> str:
    """A short phrase (an order status, a reason, a joiner) in ``language``."""
    return _text(WORDS, key, language).format(**values)
