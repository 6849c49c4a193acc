#include "render/labels.h"
#include <string.h>

#define FAMILY(name, ...)                                      \
  static const form_option name##_items[] = {__VA_ARGS__};     \
  const code_family name = {name##_items, sizeof name##_items / sizeof name##_items[0]}

FAMILY(LABELS_TAXPAYER_KIND, {"person", "Persona fisica"}, {"company", "Impresa"});
FAMILY(LABELS_SEX, {"M", "Maschile"}, {"F", "Femminile"});
FAMILY(LABELS_ADDRESS_KIND, {"residenza", "Residenza"}, {"domicilio", "Domicilio"},
       {"sede_legale", "Sede legale"});
FAMILY(LABELS_CHANNEL, {"email", "E-mail"}, {"pec", "PEC"}, {"mobile", "Cellulare"});
FAMILY(LABELS_SOURCE, {"sportello", "Sportello"}, {"telefono", "Telefono"}, {"email", "E-mail"},
       {"pec", "PEC"}, {"web", "Sito web"}, {"api", "Servizio applicativo (API)"},
       {"import", "Importazione"});
FAMILY(LABELS_OUTBOX_STATE, {"queued", "in coda di invio"}, {"sending", "in invio"}, {"sent", "inviato"},
       {"failed", "invio non riuscito, nuovo tentativo in programma"}, {"dead", "invio non riuscito"});
FAMILY(LABELS_DELIVERY, {"accepted", "accettato dal gestore PEC"},
       {"delivered", "consegnato al destinatario"}, {"not_delivered", "non consegnato"});
FAMILY(LABELS_RECEIPT, {"accettazione", "Ricevuta di accettazione"},
       {"non-accettazione", "Avviso di non accettazione"}, {"presa-in-carico", "Ricevuta di presa in carico"},
       {"avvenuta-consegna", "Ricevuta di avvenuta consegna"},
       {"errore-consegna", "Avviso di mancata consegna"},
       {"preavviso-errore-consegna", "Preavviso di mancata consegna"},
       {"rilevazione-virus", "Avviso di rilevazione virus"}, {"bounce", "Notifica di mancato recapito"});

FAMILY(LABELS_MOVEMENT_KIND, {"charge", "Addebito"}, {"payment", "Pagamento"}, {"relief", "Sgravio"},
       {"cancellation", "Annullamento"}, {"refund", "Rimborso"}, {"compensation", "Compensazione"},
       {"credit_used", "Credito compensato"});
FAMILY(LABELS_PAY_CHANNEL, {"pagopa", "pagoPA"}, {"f24", "F24"}, {"counter", "Sportello"},
       {"bank_transfer", "Bonifico bancario"});
FAMILY(LABELS_DEBT_EVENT, {"notified", "Notificato"}, {"plan", "Rateizzazione"},
       {"coattivo", "Inviato alla riscossione coattiva"}, {"cancelled", "Annullato"});
FAMILY(LABELS_OPTION_STATE, {"open", "Da pagare"}, {"partly_paid", "Pagato in parte"}, {"paid", "Pagato"},
       {"superseded", "Non più dovuto"}, {"replaced", "Sostituito"}, {"cancelled", "Annullato"});
FAMILY(LABELS_LINE_KIND, {"tax", "Imposta"}, {"sanction", "Sanzione"}, {"interest", "Interessi"},
       {"costs", "Spese di notifica"}, {"other", "Altro"});
FAMILY(LABELS_RECEIPT_STATE, {"booked", "Registrata"}, {"review", "Da verificare"},
       {"resolved", "Abbinata a mano"}, {"refunded", "Rimborsata"},
       {"secondary", "Per altro ente"}, {"ko", "Pagamento non riuscito"});
FAMILY(LABELS_REVIEW_REASON, {"unknown_notice", "Avviso sconosciuto"},
       {"notice_cancelled", "Avviso annullato o sostituito"}, {"invalid_amount", "Importo non valido"});
FAMILY(LABELS_FDR_RESULT, {"matched", "Abbinato"}, {"receipt_missing", "Ricevuta mancante"},
       {"amount_mismatch", "Importo diverso"});

FAMILY(LABELS_OCCUPATION_STATE, {"declared", "Dichiarata, avviso da emettere"},
       {"notice_issued", "Avviso emesso, invio in corso"}, {"notice_sent", "Avviso inviato al contribuente e all'Ente"},
       {"paid", "Pagato"}, {"awaiting_ente", "Variazione in attesa dell'approvazione dell'Ente"},
       {"approved", "Variazione approvata"}, {"refused", "Variazione rifiutata dall'Ente"},
       {"holder_changed", "Intestazione variata"}, {"photos_requested", "Fotografie richieste al contribuente"},
       {"inspected", "Sopralluogo eseguito, esito inviato all'Ente"});

const char *code_label(const code_family *f, const char *code) {
  if (!code) return "";
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->items[i].value, code) == 0) return f->items[i].label;
  return code;
}
